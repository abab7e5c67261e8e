import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { usableInstrumentIds } from '../../store/org-instruments.ts';
import { claimRiskNotice, processSend, schedulingPass, type ClaimedSend } from '../../store/sends.ts';
import { enqueueJobs, registerJobType } from '../jobs.ts';
import type { Mail } from '../auth/mailer.ts';
import { inLanguage, type MailLang } from '../auth/mails.ts';
import { smsFromEnv, type SmsProvider } from './sms.ts';
import { pxText } from './texts.ts';

export const SEND_JOB = 'invitation_send';
export const PASS_JOB = 'invitation_schedule';
export const RISK_JOB = 'risk_notice';
/** How often the scheduling pass runs: each pass queues the next one. */
export const PASS_INTERVAL_MS = 60_000;

const DATE_TIME = new Intl.DateTimeFormat('nl-NL', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/Amsterdam',
});
const DATE_TIME_EN = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'long',
  timeStyle: 'short',
  timeZone: 'Europe/Amsterdam',
});

/**
 * The message of a send. It names no instrument, diagnosis or score: only that the therapist asks for
 * a short questionnaire, the link and its expiry, and the organisation's name.
 */
export function composeInvitation(send: ClaimedSend, publicUrl: string): Mail & { sms: string } {
  const lang = send.lang;
  const fmt = lang === 'nl' ? DATE_TIME : DATE_TIME_EN;
  const url = `${publicUrl}/m/${send.invitation.token}`;
  const until = fmt.format(send.invitation.expiresAt);
  const when = send.plannedAt ? pxText(lang, 'mail.when', { date: fmt.format(send.plannedAt) }) : '';
  const reminder = send.kind === 'reminder';
  return {
    to: send.to,
    subject: pxText(lang, reminder ? 'mail.reminder.subject' : 'mail.invite.subject'),
    text: pxText(lang, reminder ? 'mail.reminder.body' : 'mail.invite.body', { when, url, until, org: send.orgName }),
    sms: pxText(lang, 'sms.invite', { url, until, org: send.orgName }),
  };
}

/**
 * The risk notice to the treating therapist. It says only that there is a signal: no client code,
 * participant, item or score. In the language the therapist last chose (null: never signed in, both).
 */
export function riskNoticeMail(lang: MailLang, to: string, publicUrl: string): Mail {
  return {
    to,
    subject: inLanguage(lang, (l) => pxText(l, 'mail.risk.subject'), ' / '),
    text: inLanguage(lang, (l) => pxText(l, 'mail.risk.body', { url: `${publicUrl}/app` })),
  };
}

/** Queues the next scheduling pass unless one is already waiting (a restart calls this too). */
export async function ensurePassQueued(db: Kysely<Database>, runAt = new Date()): Promise<void> {
  const waiting = await db
    .selectFrom('jobs')
    .select('id')
    .where('kind', '=', PASS_JOB)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  if (!waiting) await enqueueJobs(db, [{ kind: PASS_JOB, orgId: null, runAt }]);
}

/** Registers the messaging jobs: the scheduling pass, one job per send, one per risk notice. */
export function registerMessagingJobs(app: FastifyInstance, sms: SmsProvider | null = smsFromEnv()): void {
  const { db } = app.ctx.store;
  const publicUrl = app.ctx.config.publicUrl;

  registerJobType(PASS_JOB, async () => {
    try {
      const { sends, risks } = await schedulingPass(db);
      await enqueueJobs(db, [
        ...sends.map((s) => ({ kind: SEND_JOB, orgId: s.org_id, payload: { sendId: s.id } })),
        ...risks.map((r) => ({ kind: RISK_JOB, orgId: r.org_id, payload: { alertId: r.id } })),
      ]);
    } finally {
      await ensurePassQueued(db, new Date(Date.now() + PASS_INTERVAL_MS));
    }
  });

  registerJobType(SEND_JOB, async (job) => {
    const orgId = job.orgId!;
    const usable = await usableInstrumentIds(db, app.ctx.instruments, orgId);
    const outcome = await processSend(
      db,
      String(job.payload.sendId),
      (id) => usable.has(id),
      async (send) => {
        const message = composeInvitation(send, publicUrl);
        if (send.channel === 'sms') {
          if (!sms) throw new Error('SMS is not configured (SPIEGEL_SMS_URL)');
          await sms.send(send.to, message.sms);
        } else {
          if (!app.mailer.configured) throw new Error('No SMTP server configured (SPIEGEL_SMTP_URL)');
          await app.mailer.send(message);
        }
      },
    );
    if (outcome === 'failed') app.log.warn({ sendId: job.payload.sendId }, 'Sending an invitation failed');
  });

  registerJobType(RISK_JOB, async (job) => {
    if (!app.mailer.configured) return;
    const target = await claimRiskNotice(db, String(job.payload.alertId));
    if (!target) return;
    await app.mailer.send(riskNoticeMail(target.lang, target.email, publicUrl));
  });
}
