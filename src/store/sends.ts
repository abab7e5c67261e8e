import { sql, type Kysely, type Transaction } from 'kysely';
import { SpiegelError } from '../domain/errors.ts';
import { appendAudit } from './audit.ts';
import { auditBase, notFound, type Actor } from './clients.ts';
import { ownEpisodeId } from './episodes.ts';
import { issueInvitation, type IssuedInvitation } from './invitations.ts';
import type { Database, SendKind } from './schema.ts';

// Messages that carry an invitation link: sent now by the therapist, before each planned session by
// the scheduler, and once as a reminder when an invitation stays unanswered. A send is a row first
// (status queued) and a job second; the job makes the invitation and sends the message, so the token
// exists only in the message. The settings live in the organisation's `invitationMessages` key.

export interface MessagingSettings {
  /** Send invitations before planned sessions. */
  scheduled: boolean;
  /** Hours before a planned session that its invitation goes out. */
  hoursBefore: number;
  /** Hours after a send without an answer that a reminder goes out (0: no reminders). */
  reminderAfterHours: number;
  /** E-mail the therapist when a risk item is endorsed (the mail says only that there is a signal). */
  riskEmail: boolean;
  /** Use the SMS provider for participants with only a phone number (needs SPIEGEL_SMS_URL). */
  sms: boolean;
}

export const DEFAULT_MESSAGING: MessagingSettings = {
  scheduled: true,
  hoursBefore: 48,
  reminderAfterHours: 24,
  riskEmail: true,
  sms: false,
};

export const MESSAGING_KEY = 'invitationMessages';

export function messagingSettings(settings: Record<string, unknown> | null | undefined): MessagingSettings {
  const own = (settings?.[MESSAGING_KEY] ?? {}) as Partial<MessagingSettings>;
  // As the scheduling pass: without its own reminder hours, the measurement defaults' days count.
  const days = (settings?.measurementDefaults as { reminderAfterDays?: unknown } | undefined)?.reminderAfterDays;
  const fallback =
    typeof days === 'number' && Number.isInteger(days) ? days * 24 : DEFAULT_MESSAGING.reminderAfterHours;
  return { ...DEFAULT_MESSAGING, reminderAfterHours: fallback, ...own };
}

// The same defaults, for the scheduling pass's SQL.
const setting = (key: keyof MessagingSettings) =>
  sql`coalesce(o.settings #>> ${sql.lit(`{${MESSAGING_KEY},${key}}`)}, ${sql.lit(String(DEFAULT_MESSAGING[key]))})`;

// The reminder delay: the messaging page's hours when set, else the measurement defaults' days (admin
// settings, `measurementDefaults.reminderAfterDays`, 0 = no reminder), else 24 hours.
const reminderHours = sql`coalesce(
  (o.settings #>> ${sql.lit(`{${MESSAGING_KEY},reminderAfterHours}`)})::int,
  (o.settings #>> '{measurementDefaults,reminderAfterDays}')::int * 24,
  ${sql.lit(DEFAULT_MESSAGING.reminderAfterHours)})`;

/** Queues a message now for one participant of the caller's episode. Returns the send's id. */
export async function queueManualSend(
  db: Kysely<Database>,
  actor: Actor,
  episodeId: string,
  input: { participantId: string; sessionNumber: number; channel: 'email' | 'sms' },
): Promise<string> {
  await ownEpisodeId(db, actor, episodeId);
  return db.transaction().execute(async (trx) => {
    const participant = await trx
      .selectFrom('participants as p')
      .innerJoin('episodes as e', 'e.id', 'p.episode_id')
      .leftJoin('participant_contacts as pc', 'pc.participant_id', 'p.id')
      .select(['p.id', 'e.status', 'pc.email', 'pc.phone'])
      .where('p.id', '=', input.participantId)
      .where('p.episode_id', '=', episodeId)
      .executeTakeFirst();
    if (!participant) throw notFound('Participant', input.participantId);
    if (participant.status !== 'active') throw new SpiegelError('EPISODE_CLOSED');
    if (!(input.channel === 'email' ? participant.email : participant.phone)) throw new SpiegelError('NO_CONTACT');
    const row = await trx
      .insertInto('invitation_sends')
      .values({
        org_id: actor.staff.orgId,
        episode_id: episodeId,
        participant_id: participant.id,
        session_number: input.sessionNumber,
        kind: 'manual',
        channel: input.channel,
        due_at: new Date(),
        created_by: actor.staff.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      ...auditBase(actor),
      action: 'invitation.send.queue',
      subjectType: 'episode',
      subjectId: episodeId,
      outcome: 'ok',
      details: { sendId: row.id, channel: input.channel, sessionNumber: input.sessionNumber },
    });
    return row.id;
  });
}

/**
 * One scheduling pass: queues the invitations due before planned sessions and the reminders due for
 * unanswered sends, each at most once (unique indexes), and lists the risk alerts whose therapist is
 * still to be told. Set-based, so its cost hardly depends on how many sessions are planned.
 */
export async function schedulingPass(db: Kysely<Database>, now = new Date()) {
  const scheduled = await sql<{ id: string; org_id: string }>`
    INSERT INTO invitation_sends (org_id, episode_id, participant_id, session_id, session_number, kind, channel, due_at)
    SELECT s.org_id, s.episode_id, p.id, s.id, s.number, 'scheduled',
           CASE WHEN pc.email IS NOT NULL THEN 'email' ELSE 'sms' END,
           s.planned_at - make_interval(hours => ${setting('hoursBefore')}::int)
    FROM therapy_sessions s
    JOIN episodes e ON e.id = s.episode_id AND e.status = 'active'
    JOIN organisations o ON o.id = s.org_id
    JOIN participants p ON p.episode_id = s.episode_id
    JOIN participant_contacts pc ON pc.participant_id = p.id
    WHERE s.status = 'planned'
      AND s.planned_at > ${now} AND s.planned_at <= ${now}::timestamptz + interval '15 days'
      AND s.planned_at - make_interval(hours => ${setting('hoursBefore')}::int) <= ${now}
      AND ${setting('scheduled')}::boolean
      AND (pc.email IS NOT NULL OR ${setting('sms')}::boolean)
    ON CONFLICT (session_id, participant_id) WHERE kind = 'scheduled' DO NOTHING
    RETURNING id, org_id`.execute(db);
  const reminders = await sql<{ id: string; org_id: string }>`
    INSERT INTO invitation_sends (org_id, episode_id, participant_id, session_id, session_number, kind, channel, reminds_send_id, due_at)
    SELECT x.org_id, x.episode_id, x.participant_id, x.session_id, x.session_number, 'reminder', x.channel, x.id, ${now}
    FROM invitation_sends x
    JOIN invitations i ON i.id = x.invitation_id
    JOIN organisations o ON o.id = x.org_id
    WHERE x.status = 'sent' AND x.kind <> 'reminder'
      AND x.sent_at > ${now}::timestamptz - interval '14 days'
      AND ${reminderHours} > 0
      AND x.sent_at <= ${now}::timestamptz - make_interval(hours => ${reminderHours})
      AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ${now}
    ON CONFLICT (reminds_send_id) WHERE kind = 'reminder' DO NOTHING
    RETURNING id, org_id`.execute(db);
  const risks = await sql<{ id: string; org_id: string }>`
    SELECT a.id, a.org_id FROM alerts a JOIN organisations o ON o.id = a.org_id
    WHERE a.rule = 'risk' AND a.notified_at IS NULL AND a.created_at > ${now}::timestamptz - interval '1 day'
      AND ${setting('riskEmail')}::boolean`.execute(db);
  return { sends: [...scheduled.rows, ...reminders.rows], risks: risks.rows };
}

/** What a send job needs to compose its message. */
export interface ClaimedSend {
  id: string;
  orgId: string;
  orgName: string;
  episodeId: string;
  kind: SendKind;
  channel: 'email' | 'sms';
  to: string;
  /** The participant's language (032): the message and the form are in it. */
  lang: 'nl' | 'en';
  sessionNumber: number;
  plannedAt: Date | null;
  invitation: IssuedInvitation;
}

/**
 * Claims a queued send, issues its invitation (a reminder re-issues the unanswered one) and hands it to
 * `deliver`, all in one transaction: if delivery throws, nothing is kept and the send is marked failed.
 * Returns the outcome; a send that another instance holds or already handled is left alone.
 */
export async function processSend(
  db: Kysely<Database>,
  sendId: string,
  knownInstrument: (id: string) => boolean,
  deliver: (send: ClaimedSend) => Promise<void>,
): Promise<'sent' | 'skipped' | 'failed' | 'busy'> {
  try {
    return await db.transaction().execute(async (trx) => {
      const send = await trx
        .selectFrom('invitation_sends as x')
        .innerJoin('organisations as o', 'o.id', 'x.org_id')
        .leftJoin('participant_contacts as pc', 'pc.participant_id', 'x.participant_id')
        .leftJoin('therapy_sessions as s', 's.id', 'x.session_id')
        .select([
          'x.id',
          'x.org_id',
          'x.episode_id',
          'x.participant_id',
          'x.session_number',
          'x.kind',
          'x.channel',
          'x.reminds_send_id',
          'x.created_by',
          'o.name as org_name',
          'pc.email',
          'pc.phone',
          'pc.lang',
          's.planned_at',
          's.status as session_status',
        ])
        .where('x.id', '=', sendId)
        .where('x.status', '=', 'queued')
        .forUpdate('x')
        .skipLocked()
        .executeTakeFirst();
      if (!send) return 'busy';
      const skip = async (reason: string) => {
        await trx
          .updateTable('invitation_sends')
          .set({ status: 'skipped', error: reason })
          .where('id', '=', sendId)
          .execute();
        return 'skipped' as const;
      };
      const to = send.channel === 'email' ? send.email : send.phone;
      if (!to) return skip('no contact');
      if (send.session_status === 'cancelled') return skip('session cancelled');
      const issuer = {
        orgId: send.org_id,
        actorId: send.created_by,
        actorRole: send.created_by ? 'therapist' : 'system',
        ip: null,
      };
      let instrumentIds: string[] | undefined;
      if (send.kind === 'reminder') {
        const earlier = await trx
          .selectFrom('invitation_sends as x')
          .innerJoin('invitations as i', 'i.id', 'x.invitation_id')
          .select(['i.id', 'i.used_at', 'i.revoked_at', 'i.expires_at', 'i.instrument_ids'])
          .where('x.id', '=', send.reminds_send_id!)
          .executeTakeFirst();
        if (!earlier || earlier.used_at || earlier.revoked_at || earlier.expires_at <= new Date())
          return skip('answered or closed');
        await trx.updateTable('invitations').set({ revoked_at: new Date() }).where('id', '=', earlier.id).execute();
        instrumentIds = earlier.instrument_ids;
      } else if (send.kind === 'scheduled') {
        const open = await trx
          .selectFrom('invitations')
          .select('id')
          .where('participant_id', '=', send.participant_id)
          .where('session_number', '=', send.session_number)
          .where('used_at', 'is', null)
          .where('revoked_at', 'is', null)
          .where('expires_at', '>', new Date())
          .executeTakeFirst();
        if (open) return skip('already invited');
      }
      let invitation: IssuedInvitation;
      try {
        invitation = await issueInvitation(
          trx,
          issuer,
          send.episode_id,
          {
            participantId: send.participant_id,
            sessionNumber: send.session_number,
            instrumentIds,
            lang: send.lang ?? 'nl',
          },
          knownInstrument,
        );
      } catch (error) {
        if (error instanceof SpiegelError) return skip(error.message);
        throw error;
      }
      await deliver({
        id: send.id,
        orgId: send.org_id,
        orgName: send.org_name,
        episodeId: send.episode_id,
        kind: send.kind,
        channel: send.channel,
        to,
        lang: send.lang ?? 'nl',
        sessionNumber: send.session_number,
        plannedAt: send.planned_at,
        invitation,
      });
      await trx
        .updateTable('invitation_sends')
        .set({ status: 'sent', sent_at: new Date(), invitation_id: invitation.id, error: null })
        .where('id', '=', sendId)
        .execute();
      await appendAudit(trx, {
        ...issuer,
        action: 'invitation.send',
        subjectType: 'episode',
        subjectId: send.episode_id,
        outcome: 'ok',
        details: { sendId, kind: send.kind, channel: send.channel, invitationId: invitation.id },
      });
      return 'sent';
    });
  } catch (error) {
    await db
      .updateTable('invitation_sends')
      .set({ status: 'failed', error: error instanceof Error ? error.message.slice(0, 300) : String(error) })
      .where('id', '=', sendId)
      .where('status', '=', 'queued')
      .execute();
    return 'failed';
  }
}

/** Claims a risk alert for its notice (once) and returns where to send it; null if already notified. */
export async function claimRiskNotice(trx: Transaction<Database> | Kysely<Database>, alertId: string) {
  const claimed = await trx
    .updateTable('alerts')
    .set({ notified_at: new Date() })
    .where('id', '=', alertId)
    .where('notified_at', 'is', null)
    .returning(['episode_id'])
    .executeTakeFirst();
  if (!claimed) return null;
  return trx
    .selectFrom('episodes as e')
    .innerJoin('users as u', 'u.id', 'e.therapist_id')
    .select(['e.id as episode_id', 'u.email', 'u.id as user_id', 'u.org_id', 'u.lang'])
    .where('e.id', '=', claimed.episode_id)
    .where('u.active', '=', true)
    .executeTakeFirst();
}

/** The sends of an episode, newest first, for its page. */
export async function listSends(db: Kysely<Database>, orgId: string, episodeId: string) {
  return db
    .selectFrom('invitation_sends')
    .select([
      'id',
      'participant_id',
      'session_number',
      'kind',
      'channel',
      'status',
      'due_at',
      'sent_at',
      'error',
      'invitation_id',
    ])
    .where('org_id', '=', orgId)
    .where('episode_id', '=', episodeId)
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
}
