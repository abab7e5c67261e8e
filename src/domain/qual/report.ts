import { SpiegelError } from '../errors.ts';
import { agreement, type AgreementUnit } from './agreement.ts';
import { CONSENSUS, type QualProject } from './types.ts';

/** The agreement report the CLI prints and the agreement page shows: per code and pooled, unit and coders named. */

/** Codes with segments: the codebook's leaves (group headings carry no segments). */
export function codedThemes(project: QualProject) {
  return project.codes.filter((c) => !project.codes.some((x) => x.parentId === c.id));
}

export function agreementReport(
  project: QualProject,
  unit: AgreementUnit,
  sub: { documents?: string[]; codes?: string[] },
) {
  const themes = codedThemes(project);
  const byLabel = (labels: string[] | undefined, all: { id: string; label: string }[]) => {
    if (!labels) return undefined;
    return labels.map((l) => {
      const found = all.find((x) => x.label.toUpperCase() === l.toUpperCase());
      if (!found) throw new SpiegelError('USAGE', `Unknown code or case: ${l}`);
      return found.id;
    });
  };
  const result = agreement({
    codes: themes,
    documents: project.documents.map((d) => ({ id: d.id, length: d.text.length })),
    segments: project.segments.filter((s) => s.coderId !== CONSENSUS),
    coders: project.coders.map((c) => c.id),
    unit,
    subCorpus: {
      documentIds: byLabel(
        sub.documents,
        project.documents.map((d) => ({ id: d.id, label: d.caseLabel })),
      ),
      codeIds: byLabel(sub.codes, themes),
    },
  });
  return {
    project: { id: project.id, name: project.name },
    unit,
    coders: project.coders.map((c) => ({ id: c.id, name: c.name })),
    perCode: result.perCode,
    pooled: result.pooled,
    method:
      'Percentage agreement over coder pairs; Cohen’s kappa (two coders) per code, pooled as mean po and pe (De Vries et al. 2008); Krippendorff’s alpha, nominal, missing values allowed (Krippendorff 2011), pooled over codes.',
  };
}
