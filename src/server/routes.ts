import type { FastifyInstance } from 'fastify';

// Feature route modules (one folder per area), registered after the shared plugins. Add new areas here.
export const routeModules: Array<(app: FastifyInstance) => void | Promise<void>> = [];
