import type { FastifyInstance } from 'fastify';
import { Mailer, type MailTransport } from './mailer.ts';

export interface SentMail {
  to: string;
  subject: string;
  text: string;
}

/** Replaces the app's mailer with one that records every mail (as if SMTP were configured). */
export function captureMail(app: FastifyInstance): SentMail[] {
  const sent: SentMail[] = [];
  const transport = {
    sendMail: async (mail: SentMail) => void sent.push({ to: mail.to, subject: mail.subject, text: mail.text }),
  };
  app.mailer = new Mailer(transport as unknown as MailTransport, 'Spiegel <test@spiegel.test>');
  return sent;
}

/** The password-link token in the newest mail to `to`. */
export function linkTokenIn(sent: SentMail[], to: string): string {
  const mail = [...sent].reverse().find((m) => m.to === to);
  const match = mail && /\/password\/set\/([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error(`no password link mailed to ${to}`);
  return match[1];
}

/** Waits (briefly) for a password link to `to`: "forgot password" mails after answering. */
export async function waitForLinkToken(sent: SentMail[], to: string, after = 0, timeoutMs = 5_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return linkTokenIn(sent.slice(after), to);
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
