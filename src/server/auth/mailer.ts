import type { Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import { SpiegelError } from '../../domain/errors.ts';
import type { Env } from '../../config.ts';

/** Outgoing mail: plain text, one recipient. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** The part of a nodemailer transport the mailer uses (tests pass a recorder). */
export type MailTransport = Pick<Transporter, 'sendMail'>;

/** Sends staff mail over SMTP (SPIEGEL_SMTP_URL). Without SMTP, `configured` is false. */
export class Mailer {
  constructor(
    private readonly transport: MailTransport | null,
    readonly from: string,
  ) {}

  get configured(): boolean {
    return this.transport !== null;
  }

  async send(mail: Mail): Promise<void> {
    if (!this.transport) throw new Error('no SMTP transport configured');
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text });
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Staff mail (invitations, password links, security notices). Tests may replace it. */
    mailer: Mailer;
  }
}

/** Reads SPIEGEL_SMTP_URL (smtp:// or smtps://, credentials in the URL) and SPIEGEL_MAIL_FROM. */
export function mailerFromEnv(env: Env = process.env): Mailer {
  const from = env.SPIEGEL_MAIL_FROM || 'Spiegel <no-reply@localhost>';
  const url = env.SPIEGEL_SMTP_URL;
  if (!url) return new Mailer(null, from);
  if (!/^smtps?:\/\/[^\s]+$/.test(url)) {
    throw new SpiegelError(
      'CONFIG_INVALID',
      `SPIEGEL_SMTP_URL=${JSON.stringify(url.replace(/:[^:@/]*@/, ':***@'))} is not valid: expected an smtp:// or smtps:// URL.`,
      { setting: 'SPIEGEL_SMTP_URL' },
    );
  }
  return new Mailer(smtpTransport(url), from);
}

// nodemailer loads on the first mail, not at every start: its ES module imports node:http, whose
// namespace pulls in Node's bundled undici (about 0.2 s of a server start).
function smtpTransport(url: string): MailTransport {
  let transport: Promise<Transporter> | null = null;
  const sendMail = async (mail: Parameters<Transporter['sendMail']>[0]) => {
    transport ??= import('nodemailer').then((module) => module.default.createTransport(url));
    return (await transport).sendMail(mail);
  };
  return { sendMail } as MailTransport;
}

export type Delivery = 'sent' | 'logged' | 'failed';

/**
 * Delivers a mail that carries a password link. With SMTP the link goes only into the mail. Without
 * SMTP the link is written to the server log once, at warn level, for the administrator to pass on;
 * this is the only place a link token may reach a log (docs/security.md).
 */
export async function deliverLink(
  mailer: Mailer,
  log: FastifyBaseLogger,
  mail: Mail,
  link: { url: string; userId: string; purpose: string },
): Promise<Delivery> {
  if (!mailer.configured) {
    log.warn(
      { userId: link.userId, purpose: link.purpose },
      `No SMTP server configured (SPIEGEL_SMTP_URL); give this ${link.purpose} link to the user: ${link.url}`,
    );
    return 'logged';
  }
  try {
    await mailer.send(mail);
    return 'sent';
  } catch (error) {
    log.error(
      { userId: link.userId, purpose: link.purpose, reason: error instanceof Error ? error.message : String(error) },
      'Sending mail failed',
    );
    return 'failed';
  }
}

/** Sends a security notice (password changed, TOTP enrolled) when SMTP is configured; never throws. */
export async function notify(mailer: Mailer, log: FastifyBaseLogger, mail: Mail): Promise<void> {
  if (!mailer.configured) return;
  try {
    await mailer.send(mail);
  } catch (error) {
    log.error({ reason: error instanceof Error ? error.message : String(error) }, 'Sending a security notice failed');
  }
}
