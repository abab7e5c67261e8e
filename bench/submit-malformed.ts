/**
 * Robustness of the client form's POST /m/<token> against malformed submissions (issue 4).
 *
 * A fresh PostgreSQL database with a small organisation (bench/_data.ts seedSubmitOrg) and a real
 * server in its own process. Invitation groups: open (targets of malformed bodies), used (submitted
 * once, correctly, before the run), expired (expires_at moved into the past), revoked, and a small
 * "missing answers" group. Then --requests (10,000) malformed requests, drawn from these kinds:
 *
 *   garbage        random bytes / random text as a form body
 *   content-type   JSON (broken, or with non-string values), text/plain, XML, multipart, none
 *   no-key         valid answers without submission_key, or an empty body
 *   bad-key        submission_key too short/long, with SQL or HTML metacharacters
 *   huge           a value over 8 characters, > 200 fields, bodies of 70 KB to 1 MB
 *   bad-index      an answer index that was not offered (4 for PHQ-9, 11 for alliance, −1, 1.5, 0x1,
 *                  Arabic-Indic digits, " 1", "1e0", 99999999), with all other answers valid
 *   sql            SQL metacharacters in values, field names and the path
 *   pollution      __proto__ / constructor field names, duplicated fields, %00, invalid %-escapes
 *   bad-token      unknown, malformed, overlong tokens; used / expired / revoked links with a fresh
 *                  key and valid answers
 *   method/query   PUT/DELETE/PATCH on /m/<token>, garbage ?lang=
 *
 * Figures: server_errors (5xx, target 0) and partial_writes (target 0): afterwards, in SQL, no open,
 * expired or revoked invitation has a response, a score, an alert, a used_at or a submission key;
 * the used ones still have exactly their two responses, their original key and used_at; no response
 * rows beyond those; the audit chain verifies. accepted_malformed counts 2xx answers to the
 * malformed requests (expected 0). Separately, missing_answers_accepted reports how the form treats a
 * well-formed submission that leaves questions out (it is not a malformed request: every item of
 * the shipped PHQ-9 and alliance check is optional, so the app stores it).
 *
 *   npm run bench -- submit-malformed [--requests 10000] [--concurrency 16]
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { report } from './_report.ts';
import { migrateDatabase, seedSubmitOrg, type SeededInvitation } from './_data.ts';
import {
  createDatabase,
  drive,
  dropDatabase,
  flag,
  formFields,
  HttpClient,
  log,
  option,
  prng,
  round,
  startServerProcess,
  type BenchServer,
} from './_load.ts';
import { sealAuditTrail } from '../src/store/audit.ts';
import { verifyAuditTrail } from '../src/store/retention.ts';
import type { Database } from '../src/store/schema.ts';

const BENCH = 'submit-malformed';
const REQUESTS = Math.min(Number(option('requests', '10000')), 50_000);
const CONCURRENCY = Math.min(Number(option('concurrency', '16')), 64);
const dbName = `spiegel_bench_malformed_${process.pid}`;
const random = prng(77);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
const validKey = () => randomBytes(16).toString('base64url');
const FORM = 'application/x-www-form-urlencoded';

interface Attempt {
  kind: string;
  method: string;
  path: string;
  contentType?: string;
  body?: string | Buffer;
}

function validAnswers(key = validKey()): Record<string, string> {
  return formFields(
    Array.from({ length: 9 }, () => Math.floor(random() * 4)),
    Array.from({ length: 4 }, () => Math.floor(random() * 11)),
    key,
  );
}
const encode = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** One malformed request of a random kind against the given invitation groups. */
function malformed(groups: {
  open: SeededInvitation[];
  used: SeededInvitation[];
  expired: SeededInvitation[];
  revoked: SeededInvitation[];
}): Attempt {
  const open = `/m/${pick(groups.open).token}`;
  const r = random();
  if (r < 0.1) {
    const body =
      random() < 0.5
        ? randomBytes(1 + Math.floor(random() * 2000))
        : Buffer.from(
            Array.from({ length: 1 + Math.floor(random() * 500) }, () =>
              String.fromCharCode(32 + Math.floor(random() * 95)),
            ).join(''),
          );
    return {
      kind: 'garbage',
      method: 'POST',
      path: open,
      contentType: pick([FORM, `${FORM}; charset=utf-8`, 'application/octet-stream']),
      body,
    };
  }
  if (r < 0.2) {
    const fields = validAnswers();
    const variant = pick([
      'json-broken',
      'json-numbers',
      'json-nested',
      'text',
      'xml',
      'multipart',
      'none',
      'form-as-json',
    ]);
    switch (variant) {
      case 'json-broken':
        return {
          kind: 'content-type',
          method: 'POST',
          path: open,
          contentType: 'application/json',
          body: JSON.stringify(fields).slice(0, -3),
        };
      case 'json-numbers':
        return {
          kind: 'content-type',
          method: 'POST',
          path: open,
          contentType: 'application/json',
          body: JSON.stringify({ ...fields, 'q0.phq9-1': 1 }),
        };
      case 'json-nested':
        return {
          kind: 'content-type',
          method: 'POST',
          path: open,
          contentType: 'application/json',
          body: JSON.stringify({ submission_key: fields.submission_key, answers: fields }),
        };
      case 'text':
        return { kind: 'content-type', method: 'POST', path: open, contentType: 'text/plain', body: encode(fields) };
      case 'xml':
        return {
          kind: 'content-type',
          method: 'POST',
          path: open,
          contentType: 'application/xml',
          body: `<answers>${encode(fields)}</answers>`,
        };
      case 'multipart':
        return {
          kind: 'content-type',
          method: 'POST',
          path: open,
          contentType: 'multipart/form-data; boundary=x',
          body: `--x\r\nContent-Disposition: form-data; name="submission_key"\r\n\r\n${fields.submission_key}\r\n--x--\r\n`,
        };
      case 'none':
        return { kind: 'content-type', method: 'POST', path: open, body: encode(fields) };
      default:
        return {
          kind: 'content-type',
          method: 'POST',
          path: open,
          contentType: 'application/json',
          body: encode(fields),
        };
    }
  }
  if (r < 0.3) {
    const fields = validAnswers();
    delete fields.submission_key;
    return {
      kind: 'no-key',
      method: 'POST',
      path: open,
      contentType: FORM,
      body: random() < 0.2 ? '' : encode(fields),
    };
  }
  if (r < 0.4) {
    const key = pick([
      '',
      'short',
      'x'.repeat(65),
      "'; DROP TABLE responses; --",
      '<script>alert(1)</script>',
      'aaaaaaaaaaaaaaaa\u0000',
      'aaaaaaaaaaaaaaa!',
      '../../../../etc/passwd',
      'a'.repeat(16) + ' ',
      '1 OR 1=1 ---------',
    ]);
    return {
      kind: 'bad-key',
      method: 'POST',
      path: open,
      contentType: FORM,
      body: encode({ ...validAnswers(), submission_key: key }),
    };
  }
  if (r < 0.5) {
    const fields = validAnswers();
    const variant = pick(['long-value', 'many-fields', 'big-70k', 'big-300k', 'big-1m']);
    if (variant === 'long-value')
      fields[pick(Object.keys(fields).filter((k) => k !== 'submission_key'))] = '1'.repeat(
        9 + Math.floor(random() * 5000),
      );
    if (variant === 'many-fields') for (let i = 0; i < 201; i++) fields[`extra${i}`] = '1';
    let body = encode(fields);
    const pad = { 'big-70k': 70_000, 'big-300k': 300_000, 'big-1m': 1_000_000 }[variant as 'big-70k'];
    // Large bodies are rare (bounded traffic): a handful per thousand requests.
    if (pad && random() < 0.1) body += `&pad=${'p'.repeat(pad)}`;
    else if (pad) body += `&pad=${'p'.repeat(9)}`;
    return { kind: 'huge', method: 'POST', path: open, contentType: FORM, body };
  }
  if (r < 0.62) {
    const fields = validAnswers();
    const field = pick(Object.keys(fields).filter((k) => k !== 'submission_key'));
    fields[field] = pick(
      field.startsWith('q0')
        ? ['4', '5', '-1', '1.5', '0x1', '١', ' 1', '1e0', '99999999', 'NaN', 'true', '1,2']
        : ['11', '12', '-1', '10.0', '0x1', '١٠', '1e1', '99999999', 'null', '+1'],
    );
    return { kind: 'bad-index', method: 'POST', path: open, contentType: FORM, body: encode(fields) };
  }
  if (r < 0.72) {
    const fields = validAnswers();
    const variant = pick(['value', 'value2', 'name', 'path', 'path2']);
    if (variant === 'value')
      fields['q0.phq9-1'] = pick(["'", "';--", '1;--', "1'or'1", '1 OR 1', '$1', '\\', '%', '1/*']);
    if (variant === 'value2') fields['q1.alliance-bond'] = pick(["0'||'", '0)--', "';"]);
    if (variant === 'name') {
      fields["q0.phq9-1'; DROP TABLE scores; --"] = '1';
      fields['q0.phq9-1'] = "'";
    }
    if (variant === 'path')
      return {
        kind: 'sql',
        method: 'POST',
        path: `/m/${encodeURIComponent("' OR '1'='1' --")}`,
        contentType: FORM,
        body: encode(fields),
      };
    if (variant === 'path2')
      return {
        kind: 'sql',
        method: 'POST',
        path: `/m/${pick(groups.open).token.slice(0, 20)}%27%3B--`,
        contentType: FORM,
        body: encode(fields),
      };
    return { kind: 'sql', method: 'POST', path: open, contentType: FORM, body: encode(fields) };
  }
  if (r < 0.8) {
    const fields = validAnswers();
    const variant = pick(['proto', 'constructor', 'dup', 'nul', 'badescape', 'bracket']);
    // The odd field names alone would be ignored, so these also carry one answer that was not offered.
    if (['proto', 'constructor', 'bracket'].includes(variant)) fields['q0.phq9-5'] = '9';
    let body = encode(fields);
    if (variant === 'proto') body += '&__proto__=1&__proto__[polluted]=1';
    if (variant === 'constructor') body += '&constructor[prototype][x]=1&constructor=1';
    if (variant === 'dup') body += '&q0.phq9-1=2&q0.phq9-1=3';
    if (variant === 'nul') body = body.replace('q0.phq9-2=', 'q0.phq9-2=%00');
    if (variant === 'badescape') body = body.replace('q0.phq9-3=', 'q0.phq9-3=%zz%');
    if (variant === 'bracket') body += '&q0[phq9-1]=1&submission_key[]=x';
    return { kind: 'pollution', method: 'POST', path: open, contentType: FORM, body };
  }
  if (r < 0.95) {
    const body = encode(validAnswers());
    const variant = pick(['unknown', 'short', 'long', 'chars', 'used', 'expired', 'revoked', 'case']);
    const token =
      variant === 'unknown'
        ? randomBytes(24).toString('base64url')
        : variant === 'short'
          ? 'abc'
          : variant === 'long'
            ? 'A'.repeat(65 + Math.floor(random() * 500))
            : variant === 'chars'
              ? encodeURIComponent(pick(['<script>', '../../etc', '%00', 'a b c d e f g h i j k', '😀'.repeat(10)]))
              : variant === 'case'
                ? pick(groups.open).token.toUpperCase()
                : pick(groups[variant as 'used' | 'expired' | 'revoked']).token;
    return { kind: 'bad-token', method: 'POST', path: `/m/${token}`, contentType: FORM, body };
  }
  const variant = pick(['PUT', 'DELETE', 'PATCH', 'lang']);
  if (variant === 'lang')
    return {
      kind: 'method/query',
      method: 'POST',
      path: `${open}?lang=${pick(['xx', '%zz', 'en%00', "nl'--", '', 'en&lang=nl'])}`,
      contentType: FORM,
      body: encode({ ...validAnswers(), 'q0.phq9-1': '7' }),
    };
  return { kind: 'method/query', method: variant, path: open, contentType: FORM, body: encode(validAnswers()) };
}

let server: BenchServer | null = null;
try {
  const url = await createDatabase(dbName);
  await migrateDatabase(url);
  const org = await seedSubmitOrg(url, { episodes: 300, sessions: 4 });
  const inv = org.invitations;
  // Session 1 of episodes 1–100 is submitted correctly before the run ("used").
  const groups = {
    used: inv.slice(0, 100),
    open: inv.slice(300, 900),
    expired: inv.slice(900, 1000),
    revoked: inv.slice(1000, 1100),
  };
  const missing = inv.slice(1100, 1150);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({
        connectionString: url,
        max: 2,
        types: {
          getTypeParser: (oid: number, format?: 'text' | 'binary') =>
            oid === 20 || oid === 1700 ? Number : pg.types.getTypeParser(oid, format as 'text'),
        },
      }),
    }),
  });
  await db
    .updateTable('invitations')
    .set({ expires_at: new Date(Date.now() - 3_600_000) })
    .where(
      'id',
      'in',
      groups.expired.map((i) => i.id),
    )
    .execute();
  await db
    .updateTable('invitations')
    .set({ revoked_at: new Date() })
    .where(
      'id',
      'in',
      groups.revoked.map((i) => i.id),
    )
    .execute();

  server = await startServerProcess({ databaseUrl: url });
  const client = new HttpClient(server.url, CONCURRENCY);
  const usedKeys = new Map<string, string>();
  for (const u of groups.used) {
    const key = validKey();
    const res = await client.request('POST', `/m/${u.token}`, {
      headers: { 'content-type': FORM },
      body: encode(validAnswers(key)),
      useCookies: false,
    });
    if (res.status !== 200) throw new Error(`setup submit failed: ${res.status}`);
    usedKeys.set(u.id, key);
  }
  const before = await db
    .selectFrom('invitations')
    .select(['id', 'used_at', 'submission_key'])
    .where(
      'id',
      'in',
      groups.used.map((u) => u.id),
    )
    .execute();
  const auditBefore = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();

  // ---- the malformed requests
  const byKind = new Map<string, Map<number, number>>();
  const fiveHundreds: Array<{ kind: string; status: number; path: string; body: string }> = [];
  let accepted = 0;
  let networkErrors = 0;
  const load0 = loadavg()[0];
  const t0 = performance.now();
  const run = await drive({
    rate: 100_000,
    concurrency: CONCURRENCY,
    seconds: 150,
    maxTasks: REQUESTS,
    task: async () => {
      const a = malformed(groups);
      try {
        const res = await client.request(a.method, a.path, {
          headers: { ...(a.contentType ? { 'content-type': a.contentType } : {}), accept: 'text/html' },
          body: a.body,
          useCookies: false,
          timeoutMs: 20_000,
        });
        const counts = byKind.get(a.kind) ?? new Map<number, number>();
        counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
        byKind.set(a.kind, counts);
        if (res.status >= 500 && fiveHundreds.length < 20)
          fiveHundreds.push({
            kind: a.kind,
            status: res.status,
            path: a.path.slice(0, 80),
            body: String(a.body ?? '').slice(0, 200),
          });
        if (res.status < 300) accepted++;
      } catch {
        // A connection the server closes on a body it refuses (e.g. 413 before reading it) counts here.
        networkErrors++;
        const counts = byKind.get(a.kind) ?? new Map<number, number>();
        counts.set(0, (counts.get(0) ?? 0) + 1);
        byKind.set(a.kind, counts);
      }
    },
  });
  const seconds = (performance.now() - t0) / 1000;

  // ---- well-formed submissions that leave questions out (not malformed; reported separately)
  const missingOutcome = new Map<number, number>();
  for (const [i, m] of missing.entries()) {
    const fields = validAnswers();
    const keep =
      i % 5 === 0
        ? ['submission_key']
        : Object.keys(fields)
            .filter(() => random() < 0.5)
            .concat('submission_key');
    const body = encode(Object.fromEntries(Object.entries(fields).filter(([k]) => keep.includes(k))));
    const res = await client.request('POST', `/m/${m.token}`, {
      headers: { 'content-type': FORM },
      body,
      useCookies: false,
    });
    missingOutcome.set(res.status, (missingOutcome.get(res.status) ?? 0) + 1);
  }
  client.close();
  await server.stop();
  server = null;

  // ---- the SQL check
  const untouchedIds = [...groups.open, ...groups.expired, ...groups.revoked].map((i) => i.id);
  const writes = await db
    .selectFrom('invitations as i')
    .select((eb) => [
      'i.id',
      'i.used_at',
      'i.submission_key',
      eb
        .selectFrom('responses as r')
        .whereRef('r.invitation_id', '=', 'i.id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('responses'),
    ])
    .where('i.org_id', '=', org.orgId)
    .execute();
  const byId = new Map(writes.map((w) => [w.id, w]));
  let partial = 0;
  for (const id of untouchedIds) {
    const w = byId.get(id)!;
    if (w.used_at || w.submission_key || Number(w.responses) !== 0) partial++;
  }
  for (const u of groups.used) {
    const w = byId.get(u.id)!;
    const b = before.find((x) => x.id === u.id)!;
    if (
      Number(w.responses) !== 2 ||
      w.submission_key !== usedKeys.get(u.id) ||
      new Date(w.used_at!).getTime() !== new Date(b.used_at!).getTime()
    )
      partial++;
  }
  const episodesTouched = [
    ...new Set([...groups.open, ...groups.expired, ...groups.revoked].map((i) => i.episodeId)),
  ].filter((e) => !groups.used.some((u) => u.episodeId === e) && !missing.some((m) => m.episodeId === e));
  const strayAlerts = episodesTouched.length
    ? await db
        .selectFrom('alerts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('episode_id', 'in', episodesTouched)
        .executeTakeFirstOrThrow()
    : { n: 0 };
  const strayScores = await db
    .selectFrom('scores as s')
    .innerJoin('responses as r', 'r.id', 's.response_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('r.invitation_id', 'in', untouchedIds)
    .executeTakeFirstOrThrow();
  const totalResponses = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', org.orgId)
    .executeTakeFirstOrThrow();
  const missingStored = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(
      'invitation_id',
      'in',
      missing.map((m) => m.id),
    )
    .executeTakeFirstOrThrow();
  const missingNullScores = await db
    .selectFrom('scores as s')
    .innerJoin('responses as r', 'r.id', 's.response_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(
      'r.invitation_id',
      'in',
      missing.map((m) => m.id),
    )
    .where('s.value', 'is', null)
    .executeTakeFirstOrThrow();
  const expectedResponses = 2 * groups.used.length + Number(missingStored.n);
  if (Number(totalResponses.n) !== expectedResponses) partial += Math.abs(Number(totalResponses.n) - expectedResponses);
  partial += Number(strayAlerts.n) + Number(strayScores.n);
  const auditAfter = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await sealAuditTrail(db); // rows the server's sealer has not reached yet
  const chain = await verifyAuditTrail(db);
  await db.destroy();

  const serverErrors = [...byKind.values()].reduce(
    (n, m) => n + [...m].filter(([s]) => s >= 500).reduce((k, [, c]) => k + c, 0),
    0,
  );
  const kinds = Object.fromEntries(
    [...byKind]
      .sort()
      .map(([k, m]) => [
        k,
        Object.fromEntries([...m].sort((a, b) => a[0] - b[0]).map(([s, c]) => [s === 0 ? 'closed' : String(s), c])),
      ]),
  );
  log(`${run.started} malformed requests in ${seconds.toFixed(1)} s`);
  report({
    bench: BENCH,
    metric: 'server_errors',
    value: serverErrors,
    unit: 'responses',
    target: '0',
    pass: serverErrors === 0,
    anchor: 'malformed requests sent',
    anchor_value: run.started,
    by_kind: kinds,
    examples_5xx: fiveHundreds,
    connections_closed_by_server: networkErrors,
    requests_per_s: round(run.started / seconds),
    loadavg_1m: round(load0, 1),
  });
  report({
    bench: BENCH,
    metric: 'partial_writes',
    value: partial + chain.problems.length,
    unit: 'count',
    target: '0',
    pass: partial + chain.problems.length === 0,
    anchor: 'invitations checked (open, expired, revoked, used)',
    anchor_value: untouchedIds.length + groups.used.length,
    stray_alerts: Number(strayAlerts.n),
    stray_scores: Number(strayScores.n),
    responses_total: Number(totalResponses.n),
    responses_expected: expectedResponses,
    audit_rows_added_by_malformed: Number(auditAfter.n) - Number(auditBefore.n) - (missingOutcome.get(200) ?? 0),
    audit_chain_problems: chain.problems.length,
  });
  report({
    bench: BENCH,
    metric: 'accepted_malformed',
    value: accepted,
    unit: 'responses',
    target: '0',
    pass: accepted === 0,
    anchor: 'malformed requests sent',
    anchor_value: run.started,
  });
  report({
    bench: BENCH,
    metric: 'missing_answers_accepted',
    value: missingOutcome.get(200) ?? 0,
    unit: 'submissions',
    target: 'info (finding: no item is required)',
    anchor: 'well-formed submissions leaving questions out (1 in 5 with no answer at all)',
    anchor_value: missing.length,
    statuses: Object.fromEntries(missingOutcome),
    responses_stored: Number(missingStored.n),
    null_scores_stored: Number(missingNullScores.n),
  });
} finally {
  await server?.stop();
  if (!flag('keep')) await dropDatabase(dbName).catch(() => undefined);
}
