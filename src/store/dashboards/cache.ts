import { sql, type Kysely } from 'kysely';
import { Protector, type Atom, type Minima } from '../../domain/dashboards/protection.ts';
import type { Database } from '../schema.ts';

/**
 * What the dashboards derive from the cells, cached per data version (docs/decisions/0031).
 *
 * The cells change only when they are refreshed (the nightly job, or on demand), and every refresh
 * gets a new generation (migration 031). The version of an organisation's dashboards is that
 * generation plus its teams and their members (protection counts therapists per team). Each request
 * reads the version (two small queries), and everything derived from the same version is reused:
 * the loaded cells, the Protector with its verdicts, and each filter's finished figures. A refresh
 * or a team change gives a new key, so no instance ever serves figures from older data or older
 * teams; old entries simply age out of the bounded maps. The cache holds only what the store itself
 * computed: protection stays here, in the store, and nothing leaves it unprotected.
 */

export interface LoadedCell extends Atom {
  metrics: Record<string, unknown>;
}

export interface DashboardVersion {
  /** org | generation | teams fingerprint */
  key: string;
  refreshedAt: string | null;
  teamList: Array<{ id: string; name: string }>;
  teams: Map<string, Set<string>>;
}

export interface CellSet {
  cells: LoadedCell[];
  guard: Protector;
}

/** A small insertion-ordered LRU. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  clear(): void {
    this.map.clear();
  }
}

const cellSets = new Lru<Promise<CellSet>>(64);
const results = new Lru<Promise<unknown>>(1024);

/** The organisation's dashboard version: its refresh generation and its teams (one round trip each, in parallel). */
export async function dashboardVersion(db: Kysely<Database>, orgId: string): Promise<DashboardVersion> {
  const [refresh, teamRows] = await Promise.all([
    db
      .selectFrom('dashboard_refreshes')
      .select(['refreshed_at', 'generation'])
      .where('org_id', '=', orgId)
      .executeTakeFirst(),
    sql<{ id: string; name: string; members: string[] }>`
      SELECT t.id, t.name, coalesce(array_agg(m.user_id::text ORDER BY m.user_id) FILTER (WHERE m.user_id IS NOT NULL), '{}') AS members
      FROM teams t LEFT JOIN team_members m ON m.team_id = t.id
      WHERE t.org_id = ${orgId}
      GROUP BY t.id, t.name ORDER BY t.name, t.id`.execute(db),
  ]);
  const teamList = teamRows.rows.map((t) => ({ id: t.id, name: t.name }));
  const fingerprint = teamRows.rows.map((t) => `${t.id}:${t.name}:${t.members.join(',')}`).join(';');
  return {
    key: `${orgId}|${refresh?.generation ?? 'none'}|${fingerprint}`,
    refreshedAt: refresh ? new Date(refresh.refreshed_at).toISOString() : null,
    teamList,
    teams: new Map(teamRows.rows.map((t) => [t.id, new Set(t.members)])),
  };
}

async function loadCells(
  db: Kysely<Database>,
  orgId: string,
  family: 'outcome' | 'activity',
  instrumentId: string,
): Promise<LoadedCell[]> {
  const rows = await db
    .selectFrom('dashboard_cells')
    .select(['therapist_id', 'quarter', 'modality', 'episodes', 'metrics'])
    .where('org_id', '=', orgId)
    .where('family', '=', family)
    .where('instrument_id', '=', instrumentId)
    .execute();
  return rows.map((r) => ({
    therapist: r.therapist_id,
    quarter: r.quarter,
    modality: r.modality,
    episodes: r.episodes,
    metrics: r.metrics as Record<string, unknown>,
  }));
}

/** The cells of one family (and instrument) with their Protector, shared by every request of the same version. */
export function cellSet(
  db: Kysely<Database>,
  orgId: string,
  version: DashboardVersion,
  family: 'outcome' | 'activity',
  instrumentId: string,
  minima: Minima,
): Promise<CellSet> {
  const key = `${version.key}|${family}|${instrumentId}|${minima.therapists},${minima.episodes}`;
  const cached = cellSets.get(key);
  if (cached) return cached;
  const loading = loadCells(db, orgId, family, instrumentId).then((cells) => ({
    cells,
    guard: new Protector(cells, version.teams, minima),
  }));
  loading.catch(() => cellSets.delete(key));
  cellSets.set(key, loading);
  return loading;
}

/** A finished result for a key (which must include the version key), computed once. */
export function memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const cached = results.get(key) as Promise<T> | undefined;
  if (cached) return cached;
  const running = compute();
  running.catch(() => results.delete(key));
  results.set(key, running);
  return running;
}

/** For tests: forget everything. */
export function clearDashboardCache(): void {
  cellSets.clear();
  results.clear();
}
