import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs, wantsHelp, type Command } from '../command.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { importRefusal } from '../../domain/instruments/org-import.ts';
import { parseInstrumentJson } from '../../domain/instruments/library.ts';
import { loadConfig } from '../../config.ts';
import { openStore } from '../../store/database.ts';
import { migrate } from '../../store/migrate.ts';
import { loadInstrumentLibrary, SHIPPED_INSTRUMENTS_DIR, shippedInstruments } from '../../store/instrument-registry.ts';
import { checkInstrumentUpload, importInstrument } from '../../server/instruments/import-service.ts';
import {
  compileCalculatedExpressions,
  crossCheckCalculated,
  validateQuestionnaire,
  validateResponse,
  type Instrument,
  type InstrumentLibrary,
  type Issue,
} from '../../domain/instruments/index.ts';

/** Where `instruments import` puts an organisation's instruments until the database stores them. */
export function importedInstrumentsDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.SPIEGEL_DATA_DIR || '.spiegel', 'instruments');
}

async function readJsonFile(path: string): Promise<{ json: unknown } | { error: Issue }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : 'read error';
    throw new SpiegelError('FILE_UNREADABLE', `cannot read '${path}' (${reason}).`, { path });
  }
  return parseInstrumentJson(text);
}

const HELP: Record<string, string> = {
  main: `Usage: spiegel instruments <list|validate|import|score> [options]

Instruments are FHIR R4 Questionnaires with Spiegel's scoring rules (docs/instruments.md).
The shipped library is instruments/; imported ones live in \${SPIEGEL_DATA_DIR:-.spiegel}/instruments/.

Subcommands:
  list                         list the instruments with licence and status
  validate FILE                check a Questionnaire (or a QuestionnaireResponse with --instrument ID)
  import FILE                  check an external Questionnaire and store it for an organisation
  score ID RESPONSE.json       score a QuestionnaireResponse

Run \`spiegel instruments <subcommand> --help\` for details.`,
  list: `Usage: spiegel instruments list [--json] [--lang nl|en]

Lists shipped and imported instruments: id, title, default on/off, project-authored, licence
restrictions and scales. Files that fail validation are reported on stderr.

Options:
  --json        print the catalogue entries as JSON
  --lang LANG   title language (default nl; falls back to a verified language, marked with *)`,
  validate: `Usage: spiegel instruments validate FILE [--instrument ID] [--json]

Validates FILE as a FHIR R4 Questionnaire with Spiegel's scoring rules, or, when FILE is a
QuestionnaireResponse, against the instrument given by --instrument (or its questionnaire reference).
Every problem is printed as: severity, JSON pointer, code, reason.

Options:
  --instrument ID   instrument to validate a response against
  --json            print {ok, issues} as JSON

Exit codes: 0 valid (warnings allowed), 1 errors found or file unreadable, 2 wrong usage.`,
  import: `Usage: spiegel instruments import FILE [--org SLUG] [--acknowledge-licence] [--json]

Checks an external FHIR R4 Questionnaire (or a translation overlay on a shipped instrument) and stores
it in the database as the organisation's next version; the running server uses it at once. A
questionnaire without Spiegel scoring rules whose LOINC panel code matches a shipped instrument (e.g.
44249-1, PHQ-9) receives that instrument's rules; anything else is imported unscored.

Options:
  --org SLUG              the organisation (may be left out when the database holds one)
  --acknowledge-licence   acknowledge a restricted licence (audited); required for such licences
  --json                  print the import result as JSON

Exit codes: 0 imported, 1 invalid or not imported, 2 wrong usage.`,
  score: `Usage: spiegel instruments score ID RESPONSE.json [--json]

Validates RESPONSE.json against instrument ID and prints the scales with their values (null when the
missing-item rule withholds a score), bands, flags, clinical range, reliable-change parameters and
risk flags. Instruments with SDC calculatedExpressions are cross-checked against them.

Options:
  --json   print the full result as JSON

Exit codes: 0 scored, 1 unknown instrument or invalid response, 2 wrong usage.`,
};

function formatIssues(issues: readonly Issue[]): string {
  return issues
    .map((i) => `${i.severity === 'error' ? 'error  ' : 'warning'}  ${i.path || '/'}  ${i.code}  ${i.reason}`)
    .join('\n');
}

function checkFlags(flags: Record<string, string | true>, allowed: string[]): void {
  const unknown = Object.keys(flags).filter((f) => !allowed.includes(f));
  if (unknown.length > 0) throw new SpiegelError('USAGE', `unknown option --${unknown[0]}.`);
}

async function fullLibrary(): Promise<InstrumentLibrary> {
  return loadInstrumentLibrary(SHIPPED_INSTRUMENTS_DIR, importedInstrumentsDir());
}

async function list(args: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(args, ['json']);
  checkFlags(flags, ['json', 'lang']);
  if (positionals.length > 0) throw new SpiegelError('USAGE', `unexpected argument '${positionals[0]}'.`);
  const lang = flags.lang === 'en' ? 'en' : 'nl';
  const library = await fullLibrary();
  for (const r of library.rejected)
    process.stderr.write(`skipped ${r.origin}:\n${formatIssues(r.issues.filter((i) => i.severity === 'error'))}\n`);
  const entries = [...library.instruments.values()].map((i) => ({ ...i.catalog, origin: i.origin }));
  if (flags.json === true) {
    process.stdout.write(JSON.stringify(entries, null, 2) + '\n');
    return 0;
  }
  const rows = entries.map((e) => [
    e.id,
    e.title[lang].text + (e.title[lang].fellBack ? ` (${e.title[lang].lang})*` : ''),
    e.shippedByDefault ? 'on' : 'off',
    e.projectAuthored ? 'project' : e.basedOn ? `import of ${e.basedOn}` : 'licensed',
    e.scored ? e.scales.map((s) => s.id).join(',') : 'unscored',
    e.restrictions.join(',') || '-',
  ]);
  const header = ['id', 'title', 'default', 'kind', 'scales', 'restrictions'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  for (const row of [header, ...rows])
    process.stdout.write(
      row
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd() + '\n',
    );
  return 0;
}

async function validate(args: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(args, ['json']);
  checkFlags(flags, ['json', 'instrument']);
  const [file, ...extra] = positionals;
  if (!file) throw new SpiegelError('USAGE', 'missing FILE; use `spiegel instruments validate FILE`.');
  if (extra.length > 0) throw new SpiegelError('USAGE', `unexpected argument '${extra[0]}'.`);
  const parsed = await readJsonFile(file);
  let issues: Issue[];
  if ('error' in parsed) issues = [parsed.error];
  else if (isResponse(parsed.json)) {
    const instrument = await findInstrument(
      typeof flags.instrument === 'string' ? flags.instrument : referencedId(parsed.json),
    );
    issues = validateResponse(instrument.questionnaire, parsed.json).issues;
  } else issues = validateQuestionnaire(parsed.json).issues;
  const ok = !issues.some((i) => i.severity === 'error');
  if (flags.json === true) process.stdout.write(JSON.stringify({ ok, issues }, null, 2) + '\n');
  else {
    if (issues.length > 0) process.stdout.write(formatIssues(issues) + '\n');
    process.stdout.write(
      `${file}: ${ok ? 'valid' : 'INVALID'} (${issues.filter((i) => i.severity === 'error').length} errors, ${issues.filter((i) => i.severity === 'warning').length} warnings)\n`,
    );
  }
  return ok ? 0 : 1;
}

function isResponse(json: unknown): json is Record<string, unknown> {
  return (
    typeof json === 'object' &&
    json !== null &&
    (json as Record<string, unknown>).resourceType === 'QuestionnaireResponse'
  );
}

/** The instrument id in a response's questionnaire reference (…/Questionnaire/<id>[|version]). */
function referencedId(json: Record<string, unknown>): string | undefined {
  const ref = typeof json.questionnaire === 'string' ? json.questionnaire.split('|')[0] : undefined;
  return ref?.split('/').pop();
}

async function findInstrument(id: string | undefined): Promise<Instrument> {
  if (!id)
    throw new SpiegelError(
      'USAGE',
      'a QuestionnaireResponse needs --instrument ID (it has no questionnaire reference).',
    );
  const library = await fullLibrary();
  const instrument = library.instruments.get(id);
  if (!instrument) {
    throw new SpiegelError(
      'INSTRUMENT_UNKNOWN',
      `unknown instrument '${id}'; known: ${[...library.instruments.keys()].join(', ')}.`,
      { id },
    );
  }
  return instrument;
}

async function importCommand(args: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(args, ['json', 'acknowledge-licence']);
  checkFlags(flags, ['json', 'acknowledge-licence', 'org']);
  const [file, ...extra] = positionals;
  if (!file) throw new SpiegelError('USAGE', 'missing FILE; use `spiegel instruments import FILE [--org SLUG]`.');
  if (extra.length > 0) throw new SpiegelError('USAGE', `unexpected argument '${extra[0]}'.`);
  if (flags.org === true) throw new SpiegelError('USAGE', '--org needs the organisation slug.');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SpiegelError('FILE_UNREADABLE', `cannot read ${file}: ${(error as Error).message}`);
  }
  const config = loadConfig();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
  try {
    await migrate(store.db);
    const orgs = await store.db.selectFrom('organisations').select(['id', 'slug']).execute();
    const org =
      typeof flags.org === 'string' ? orgs.find((o) => o.slug === flags.org) : orgs.length === 1 ? orgs[0] : null;
    if (!org)
      throw new SpiegelError(
        'USAGE',
        typeof flags.org === 'string'
          ? `no organisation '${flags.org}'; known: ${orgs.map((o) => o.slug).join(', ') || 'none'}.`
          : `give the organisation with --org SLUG (known: ${orgs.map((o) => o.slug).join(', ') || 'none'}).`,
      );
    const report = checkInstrumentUpload(text, shippedInstruments());
    let stored: { instrumentId: string; version: number; created: boolean } | null = null;
    let refusal: SpiegelError | null = importRefusal(report, flags['acknowledge-licence'] === true);
    if (!refusal) {
      try {
        stored = (
          await importInstrument(
            store.db,
            shippedInstruments(),
            { orgId: org.id, userId: null, role: 'cli', ip: null },
            text,
            flags['acknowledge-licence'] === true,
          )
        ).stored;
      } catch (error) {
        if (!(error instanceof SpiegelError)) throw error;
        refusal = error;
      }
    }
    if (flags.json === true) {
      const out = {
        imported: stored !== null,
        org: org.slug,
        ...stored,
        code: refusal?.code ?? null,
        kind: report.kind,
        licence: report.licence,
        translations: report.translations,
        issues: report.issues,
      };
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    } else {
      if (report.issues.length > 0) process.stdout.write(formatIssues(report.issues) + '\n');
      process.stdout.write(
        `licence: ${report.licence.text ?? 'none given'}${report.licence.restrictions.length ? ` (${report.licence.restrictions.join(', ')})` : ''}\n`,
      );
      if (stored)
        process.stdout.write(
          stored.created
            ? `imported ${stored.instrumentId} as version ${stored.version} for ${org.slug}\n`
            : `${stored.instrumentId} is already stored as version ${stored.version} for ${org.slug}; nothing changed\n`,
        );
      else
        process.stdout.write(
          `not imported (${refusal?.code}): ${refusal?.message}${refusal?.code === 'LICENCE_NOT_ACKNOWLEDGED' ? ' Read the licence above and pass --acknowledge-licence.' : ''}\n`,
        );
    }
    return stored ? 0 : 1;
  } finally {
    await store.close();
  }
}

async function score(args: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(args, ['json']);
  checkFlags(flags, ['json']);
  const [id, file, ...extra] = positionals;
  if (!id || !file) throw new SpiegelError('USAGE', 'use `spiegel instruments score ID RESPONSE.json`.');
  if (extra.length > 0) throw new SpiegelError('USAGE', `unexpected argument '${extra[0]}'.`);
  const instrument = await findInstrument(id);
  const parsed = await readJsonFile(file);
  const issues = 'error' in parsed ? [parsed.error] : validateResponse(instrument.questionnaire, parsed.json).issues;
  if (issues.some((i) => i.severity === 'error')) {
    if (flags.json === true)
      process.stdout.write(JSON.stringify({ error: { code: 'RESPONSE_INVALID', issues } }, null, 2) + '\n');
    else process.stdout.write(formatIssues(issues) + `\n${file}: RESPONSE_INVALID\n`);
    return 1;
  }
  const response = (parsed as { json: unknown }).json;
  const result = instrument.scorer.score(response);
  const calculations = compileCalculatedExpressions(instrument.questionnaire);
  const crossCheck = calculations.count > 0 ? crossCheckCalculated(calculations.evaluate(response), result) : [];
  if (flags.json === true) {
    process.stdout.write(JSON.stringify({ ...result, crossCheck, warnings: issues }, null, 2) + '\n');
    return 0;
  }
  for (const s of result.scales) {
    const value =
      s.value === null ? `no score (${s.status}; ${s.missing} missing, ${s.maxMissing} allowed)` : String(s.value);
    const band = s.band ? `  band: ${s.band.label.en ?? s.band.code}` : '';
    const flagText = s.flags.length > 0 ? `  flags: ${s.flags.map((f) => f.code).join(', ')}` : '';
    process.stdout.write(`${s.id}: ${value}${s.prorated ? ' (prorated)' : ''}${band}${flagText}\n`);
  }
  for (const r of result.risks) process.stdout.write(`RISK ${r.code}: item ${r.item} = ${r.answerScore}\n`);
  for (const item of result.unansweredRiskItems) process.stdout.write(`risk item ${item} unanswered\n`);
  for (const c of crossCheck)
    process.stdout.write(
      `cross-check ${c.scale} vs ${c.linkId}: ${c.agree ? 'agrees' : `MISMATCH (declarative ${c.declarative}, calculatedExpression ${c.calculated})`}\n`,
    );
  return 0;
}

const SUBCOMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  list,
  validate,
  import: importCommand,
  score,
};

export const instrumentsCommand: Command = {
  name: 'instruments',
  summary: 'List, validate, import and score instruments (FHIR Questionnaires)',
  help: HELP.main,
  async run(args: string[]): Promise<number> {
    const [sub, ...rest] = args;
    if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
      process.stdout.write(HELP.main + '\n');
      return sub ? 0 : 2;
    }
    const handler = Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
    if (!handler) throw new SpiegelError('USAGE', `unknown subcommand '${sub}'; use list, validate, import or score.`);
    if (wantsHelp(rest)) {
      process.stdout.write(HELP[sub] + '\n');
      return 0;
    }
    return handler(rest);
  },
};
