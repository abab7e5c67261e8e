import { writeFileSync } from 'node:fs';
import type { Command } from '../command.ts';
import { parseArgs, wantsHelp } from '../command.ts';
import { loadConfig } from '../../config.ts';
import { SpiegelError } from '../../domain/errors.ts';
import type { AgreementUnit } from '../../domain/qual/agreement.ts';
import { agreementReport, codedThemes } from '../../domain/qual/report.ts';
import { codeDocumentCsv } from '../../domain/qual/exports.ts';
import { exportQdpx } from '../../domain/qual/refi.ts';
import { codeDocumentTable } from '../../domain/qual/tables.ts';
import { CONSENSUS } from '../../domain/qual/types.ts';
import { openStore } from '../../store/database.ts';
import { migrate } from '../../store/migrate.ts';
import { listProjects, loadProject } from '../../store/qual/projects.ts';
import { keyringFromEnv } from '../../store/reflection-crypto.ts';

const help = `Usage:
  spiegel qual list [--json]
  spiegel qual export PROJECT --format qdpx|csv --out FILE [--layer consensus|CODER_ID]
  spiegel qual agreement PROJECT [--json] [--unit presence|segment|character]
                         [--threshold 0.5] [--include-uncoded] [--documents P01,P02] [--codes 1A,1B]

Qualitative interview projects (docs/qual.md). export writes a REFI-QDA 1.5 .qdpx (codebook,
transcripts, every coder's and the consensus layer's segments, memos) or the code x document
table in the layout of Van Oosterzee's tables as CSV (default layer: consensus). agreement prints percentage
agreement, Cohen's kappa (two coders) and Krippendorff's alpha per code and pooled, with the
unit and the coders named. Default unit: characters, without text no coder coded.`;

function unitFrom(flags: Record<string, string | true>): AgreementUnit {
  const kind = flags.unit ?? 'character';
  if (kind === 'presence') return { kind };
  if (kind === 'segment') return { kind, threshold: flags.threshold ? Number(flags.threshold) : 0.5 };
  if (kind === 'character') return { kind, excludeUncoded: flags['include-uncoded'] !== true };
  throw new SpiegelError('USAGE', 'The unit is presence, segment or character.');
}

const list = (v: string | true | undefined) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : undefined);

export const qualCommand: Command = {
  name: 'qual',
  summary: 'Qualitative projects: list, export (.qdpx, CSV), agreement',
  help,
  async run(args) {
    if (wantsHelp(args)) {
      process.stdout.write(help + '\n');
      return 0;
    }
    const { flags, positionals } = parseArgs(args, ['json', 'include-uncoded']);
    const [sub, projectId] = positionals;
    if (sub !== 'list' && sub !== 'export' && sub !== 'agreement') throw new SpiegelError('USAGE', help);
    if (sub !== 'list' && !projectId) throw new SpiegelError('USAGE', `Usage: spiegel qual ${sub} PROJECT …`);
    const config = loadConfig();
    const { keyring, warning } = keyringFromEnv(process.env, config.demoMode);
    if (warning) process.stderr.write(warning + '\n');
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: 2 });
    try {
      await migrate(store.db);
      if (sub === 'list') {
        const rows = await listProjects(store.db, null);
        if (flags.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        else
          for (const r of rows)
            process.stdout.write(`${r.id}  ${r.org}  ${r.documents} documents  ${r.segments} segments  ${r.name}\n`);
        return 0;
      }
      const actor = { orgId: '*', userId: null, role: 'cli' };
      const unit = sub === 'agreement' ? unitFrom(flags) : null;
      const format = flags.format;
      if (sub === 'export' && ((format !== 'qdpx' && format !== 'csv') || typeof flags.out !== 'string'))
        throw new SpiegelError('USAGE', 'Usage: spiegel qual export PROJECT --format qdpx|csv --out FILE');
      const project = await loadProject(store.db, keyring, actor, projectId!);
      if (sub === 'agreement') {
        const report = agreementReport(project, unit!, { documents: list(flags.documents), codes: list(flags.codes) });
        if (flags.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        else {
          const f = (x: number | null) => (x === null ? '—' : x.toFixed(3));
          process.stdout.write(
            `Unit: ${JSON.stringify(report.unit)}; coders: ${report.coders.map((c) => c.name).join(', ')}\n`,
          );
          for (const c of report.perCode)
            process.stdout.write(`${c.label}\t%=${f(c.percent)}\tκ=${f(c.kappa)}\tα=${f(c.alpha)}\n`);
          process.stdout.write(
            `pooled\t%=${f(report.pooled.percent)}\tκ=${f(report.pooled.kappa)}\tα=${f(report.pooled.alpha)}\n`,
          );
        }
        return 0;
      }
      if (format === 'qdpx') writeFileSync(flags.out as string, exportQdpx(project));
      else {
        const layer = typeof flags.layer === 'string' ? flags.layer : CONSENSUS;
        const rows = codeDocumentTable(
          codedThemes(project),
          project.documents,
          project.segments.filter((s) => s.coderId === layer),
        );
        writeFileSync(flags.out as string, codeDocumentCsv(rows, 'nl'));
      }
      process.stderr.write(`Wrote ${flags.out as string}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
