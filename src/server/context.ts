import type { Config } from '../config.ts';
import type { Store } from '../store/database.ts';
import type { StaffIdentity } from '../domain/roles.ts';
import type { Lang } from '../web/i18n.ts';
import type { InstrumentRegistry } from '../store/instrument-registry.ts';
import type { OrgInstrumentSource } from './org-instrument-registry.ts';
import type { Keyring } from '../store/reflection-crypto.ts';

/** What every route handler can reach: the store and the configuration. */
export interface AppContext {
  store: Store;
  config: Config;
  /** The shipped library. */
  instruments: InstrumentRegistry;
  /** Per organisation: the shipped library with its own imports on top (set by buildApp when absent). */
  orgInstruments?: OrgInstrumentSource;
  /** The journal keyring (reflections, TOTP secrets); built from the config on first use (keyring.ts). */
  keyring?: Keyring;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    /** Every route with its access declaration (read by the access-matrix test). */
    declaredRoutes: import('./access.ts').DeclaredRoute[];
  }
  interface FastifyRequest {
    staff: StaffIdentity | null;
    lang: Lang;
  }
}
