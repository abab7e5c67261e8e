import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { agreement } from '../../domain/qual/agreement.ts';
import { demoProject } from '../../domain/qual/demo.ts';
import { exportQdpx, importQdpx } from '../../domain/qual/refi.ts';
import { CONSENSUS } from '../../domain/qual/types.ts';
import { loadProject, saveProject } from '../../store/qual/projects.ts';
import { keyringFromKeys } from '../../store/reflection-crypto.ts';
import { freshStore } from '../../store/testing.ts';
import { agreementReport } from '../../domain/qual/report.ts';

describe('spiegel qual agreement', () => {
  it('matches κ and α computed independently from the exported .qdpx', async () => {
    const store = await freshStore('pglite');
    try {
      const { id: orgId } = await store.db
        .insertInto('organisations')
        .values({ slug: 'qual-cli', name: 'Qual CLI', settings: '{}' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const ids: string[] = [];
      for (const name of ['Codeur A', 'Codeur B']) {
        const row = await store.db
          .insertInto('users')
          .values({
            org_id: orgId,
            email: `${name[7]}@x.test`,
            display_name: name,
            roles: ['researcher'],
            gender: null,
            password_hash: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.push(row.id);
      }
      const keyring = keyringFromKeys(randomBytes(32));
      const actor = { orgId, userId: ids[0]!, role: 'researcher' };
      const projectId = await saveProject(store.db, keyring, actor, demoProject(), [
        { userId: ids[0]!, role: 'coder', coderId: 'coder-a' },
        { userId: ids[1]!, role: 'coder', coderId: 'coder-b' },
      ]);
      const project = await loadProject(store.db, keyring, actor, projectId);
      const unit = { kind: 'character', excludeUncoded: true } as const;
      const report = agreementReport(project, unit, {});
      expect(report.coders.map((c) => c.name)).toEqual(['Codeur A', 'Codeur B']);
      expect(report.unit).toEqual(unit);

      // Independently: only the .qdpx file, the domain reader and the statistics.
      const back = importQdpx(exportQdpx(project));
      const leaves = back.codes.filter((c) => !back.codes.some((x) => x.parentId === c.id));
      const independent = agreement({
        codes: leaves,
        documents: back.documents.map((d) => ({ id: d.id, length: d.text.length })),
        segments: back.segments.filter((s) => s.coderId !== CONSENSUS),
        coders: back.coders.map((c) => c.id),
        unit,
      });
      expect(Math.abs(independent.pooled.kappa! - report.pooled.kappa!)).toBeLessThan(1e-12);
      expect(Math.abs(independent.pooled.alpha! - report.pooled.alpha!)).toBeLessThan(1e-12);
      expect(independent.perCode.map((c) => [c.label, c.kappa])).toEqual(report.perCode.map((c) => [c.label, c.kappa]));
    } finally {
      await store.drop();
    }
  }, 60_000);
});
