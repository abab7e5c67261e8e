import type { FastifyInstance } from 'fastify';
import { registerMeasuresApi } from './measures/api.ts';
import { registerMeasureForm } from './measures/form.ts';

// Feature route modules (one folder per area), registered after the shared plugins. Add new areas here.
export const routeModules: Array<(app: FastifyInstance) => void | Promise<void>> = [
  registerMeasuresApi,
  // Its own scope: the client form maps bad-token errors to its friendly page.
  async (app) => {
    await app.register(async (scope) => registerMeasureForm(scope));
  },
];
