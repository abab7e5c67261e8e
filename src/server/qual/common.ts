import type { FastifyRequest } from 'fastify';
import { SpiegelError } from '../../domain/errors.ts';
import { CONSENSUS, orderedCodes, type QualCode, type QualSegment } from '../../domain/qual/types.ts';
import { escapeHtml, html, inLanguage, raw, type SafeHtml } from '../../web/html.ts';
import type { Lang } from '../../web/i18n.ts';
import { projectAccess, type ProjectAccess, type QualRole } from '../../store/qual/editing.ts';
import type { QualActor } from '../../store/qual/projects.ts';

/** Shared parts of the interview-coding routes: access, the keyring, and the coded transcript view. */

/** Researchers lead projects; therapists and researchers code. Membership is checked per project. */
export const memberAccess = {
  access: { kind: 'staff' as const, roles: ['researcher' as const, 'therapist' as const] },
};
export const investigatorAccess = { access: { kind: 'staff' as const, roles: ['researcher' as const] } };
/** A bounded string field of a form. */
export const short = (max: number) => ({ type: 'string', maxLength: max }) as const;
/** A pseudonymous case code such as P01. */
export const caseLabel = { type: 'string', pattern: '^[A-Za-z0-9_-]{1,20}$' } as const;
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

export function qualActor(request: FastifyRequest): QualActor & { userId: string } {
  const staff = request.staff!;
  return { orgId: staff.orgId, userId: staff.userId, role: staff.roles.join(',') };
}

/** The caller's membership of the project in the URL; a non-member gets 404, a wrong role 403. */
export async function member(request: FastifyRequest, id: string, roles?: QualRole[]): Promise<ProjectAccess> {
  const staff = request.staff!;
  const access = await projectAccess(request.server.ctx.store.db, staff.orgId, id, staff.userId);
  if (roles && !roles.includes(access.role)) throw new SpiegelError('FORBIDDEN');
  return access;
}

/** The layer a member writes to: coders their own, the investigator the consensus layer. */
export function ownLayer(request: FastifyRequest, access: ProjectAccess): string {
  return access.role === 'investigator' ? CONSENSUS : request.staff!.userId;
}

/**
 * A transcript with the segments of one layer highlighted. Overlapping segments split the text into
 * runs; each run lists its codes. The text stays one element so a selection's offsets are plain
 * character positions (see /static/qual.js).
 */
export function codedTranscript(
  text: string,
  segments: QualSegment[],
  codes: QualCode[],
  textLang: string,
  pageLang: Lang,
): SafeHtml {
  const byId = new Map(codes.map((c) => [c.id, c]));
  const cuts = new Set([0, text.length]);
  for (const s of segments) cuts.add(s.start).add(s.end);
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  // Built as one string: whitespace between runs would shift the character offsets.
  let markup = '';
  for (let i = 0; i + 1 < points.length; i++) {
    const [from, to] = [points[i]!, points[i + 1]!];
    const here = segments.filter((s) => s.start <= from && s.end >= to);
    const piece = escapeHtml(text.slice(from, to));
    if (!here.length) markup += piece;
    else {
      const labels = [...new Set(here.map((s) => byId.get(s.codeId)?.label ?? '?'))].join(', ');
      // The CSP allows no inline styles: a palette class by the code's place in the codebook.
      const shade = paletteIndex(codes, here[0]!.codeId);
      markup += `<mark class="q${shade}" title="${escapeHtml(labels)}">${piece}</mark>`;
    }
  }
  const lang = textLang === pageLang ? null : textLang;
  return html`<div id="transcript" class="transcript" data-length="${String(text.length)}" ${lang ? html`lang="${lang}"` : null}>${raw(markup)}</div>`;
}

/** The code's highlight shade (q0–q9 in app.css). */
export function paletteIndex(codes: QualCode[], codeId: string): number {
  return (
    Math.max(
      0,
      orderedCodes(codes).findIndex((c) => c.id === codeId),
    ) % 10
  );
}

/** The code's own colour as a swatch (SVG fill is not a style, so the CSP allows it). */
export function swatch(colour: string): SafeHtml {
  return html`<svg width="12" height="12" aria-hidden="true" focusable="false"><rect width="12" height="12" fill="${colour}" /></svg>`;
}

/** A code as "1A. Name", the name in the project's language. */
export function codeTitle(code: Pick<QualCode, 'label' | 'name'>, textLang: string, pageLang: Lang): SafeHtml {
  return html`${code.label}. ${inLanguage(code.name, textLang, pageLang)}`;
}
