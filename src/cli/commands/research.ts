import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs, wantsHelp, type Command } from '../command.ts';
import { loadConfig } from '../../config.ts';
import { SpiegelError } from '../../domain/errors.ts';
import { openStore } from '../../store/database.ts';
import { migrate } from '../../store/migrate.ts';
import { audit } from '../../store/audit.ts';
import { getStudy, listAllStudies, studyResponses } from '../../store/research.ts';
import { readSurvey } from '../../domain/research/survey.ts';
import { buildDataset } from '../../domain/research/dataset.ts';
import { writeSav } from '../../domain/research/sav.ts';
import { writeCsv, writeRScript } from '../../domain/research/export-csv.ts';
import { checkResults } from '../../domain/research/check.ts';

const help = `Usage:
  spiegel research list [--json]
  spiegel research export STUDY --format sav|csv --out FILE
  spiegel research check --input FILE.json [--pretty]

list     studies of every organisation: id, organisation, title, status, response count
export   the study's dataset (items, reverse-scored items, scale scores, transformations) as an SPSS
         system file (sav) or as CSV; csv also writes FILE.R, an R script that applies the labels
check    "Controleer": checks reported results ({"results": [...]}, see docs/cli.md); prints JSON

Exit codes: 0 success (check: all consistent or untestable), 1 an error or an inconsistent result,
2 wrong usage.`;

async function withStore<T>(run: (db: Awaited<ReturnType<typeof openStore>>['db']) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
  try {
    await migrate(store.db);
    return await run(store.db);
  } finally {
    await store.close();
  }
}

export const researchCommand: Command = {
  name: 'research',
  summary: 'Research studies: list, export (.sav, CSV + R), check reported results',
  help,
  async run(args: string[]): Promise<number> {
    if (wantsHelp(args)) {
      process.stdout.write(help + '\n');
      return 0;
    }
    const { flags, positionals } = parseArgs(args, ['json', 'pretty']);
    const [sub, ...rest] = positionals;
    if (sub === 'list') {
      const studies = await withStore((db) => listAllStudies(db));
      if (flags.json === true) process.stdout.write(JSON.stringify({ studies }) + '\n');
      else
        for (const s of studies) process.stdout.write(`${s.id}  ${s.org}  ${s.responses}  ${s.status}  ${s.title}\n`);
      return 0;
    }
    if (sub === 'export') {
      const [studyId] = rest;
      const format = flags.format;
      const out = flags.out;
      if (!studyId) throw new SpiegelError('USAGE', 'missing STUDY; use `spiegel research list` to find its id.');
      if (format !== 'sav' && format !== 'csv') throw new SpiegelError('USAGE', '--format must be sav or csv.');
      if (typeof out !== 'string' || out === '') throw new SpiegelError('USAGE', 'missing --out FILE.');
      const n = await withStore(async (db) => {
        const study = await getStudy(db, null, studyId);
        const responses = await studyResponses(db, study.id);
        const data = buildDataset(readSurvey(study.questionnaire), responses, study.transformations);
        await audit(db, {
          orgId: study.orgId,
          actorId: null,
          actorRole: 'operator (cli)',
          action: `research.export.${format}`,
          subjectType: 'research_study',
          subjectId: study.id,
          outcome: 'ok',
          details: { responses: responses.length },
        });
        if (format === 'sav') await writeFile(out, writeSav(data, { label: study.title }));
        else {
          await writeFile(out, writeCsv(data));
          await writeFile(`${out}.R`, writeRScript(data, out.split('/').pop()!));
        }
        return responses.length;
      });
      process.stderr.write(`Wrote ${n} responses to ${out}${format === 'csv' ? ` and ${out}.R` : ''}.\n`);
      return 0;
    }
    if (sub === 'check') {
      const input = flags.input;
      if (typeof input !== 'string' || input === '') throw new SpiegelError('USAGE', 'missing --input FILE.json.');
      let text: string;
      try {
        text = await readFile(input, 'utf8');
      } catch {
        throw new SpiegelError('FILE_UNREADABLE', `cannot read '${input}'.`, { path: input });
      }
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (error) {
        throw new SpiegelError('STATS_INPUT_INVALID', `'${input}' is not valid JSON: ${(error as Error).message}`);
      }
      const results = checkResults(doc);
      process.stdout.write(JSON.stringify({ results }, null, flags.pretty === true ? 2 : undefined) + '\n');
      return results.some((r) => r.consistent === false) ? 1 : 0;
    }
    throw new SpiegelError(
      'USAGE',
      sub
        ? `unknown subcommand '${sub}'; use list, export or check.`
        : 'missing subcommand; use list, export or check.',
    );
  },
};
