import type { FastifyInstance } from 'fastify';
import { registerAdminErasurePage } from './admin-erasure.ts';
import { registerGdprRoutes } from './routes.ts';

/** GDPR: per-client export (FHIR and readable) and erasure, plus the admin's erasure lookup. */
export function registerGdpr(app: FastifyInstance): void {
  registerGdprRoutes(app);
  registerAdminErasurePage(app);
}
