import type { FastifyInstance } from 'fastify';
import { registerAuthRoutes } from './auth/routes.ts';
import { registerAdmin } from './admin/index.ts';
import { registerGdpr } from './gdpr/index.ts';
import { registerMeasuresApi } from './measures/api.ts';
import { registerMeasureForm } from './measures/form.ts';
import { registerFeedbackRoutes } from './feedback/routes.ts';
import { registerEffectivenessRoutes } from './effectiveness/routes.ts';
import { registerInstrumentAdmin } from './instruments/routes.ts';
import { registerResearchRoutes } from './research/routes.ts';
import { registerDashboardRoutes } from './dashboards/routes.ts';
import { registerPractice } from './practice/index.ts';
import { registerStudyRoutes } from './research/studies.ts';
import { registerRedcapRoutes } from './research/redcap.ts';
import { registerStudyDataRoutes } from './research/study-data.ts';
import { registerStudyFileRoutes } from './research/study-files.ts';
import { registerInviteRoutes } from './research/invite.ts';
import { registerSurveyRoutes } from './research/survey.ts';
import { registerQual } from './qual/index.ts';
import { registerPaperRoutes } from './research/paper.ts';

// Feature route modules (one folder per area), registered after the shared plugins. Add new areas here.
export const routeModules: Array<(app: FastifyInstance) => void | Promise<void>> = [
  registerAuthRoutes,
  registerAdmin,
  registerGdpr,
  registerMeasuresApi,
  registerFeedbackRoutes,
  registerEffectivenessRoutes,
  registerInstrumentAdmin,
  registerResearchRoutes,
  registerDashboardRoutes,
  registerPractice,
  (app) => registerRedcapRoutes(app, registerStudyRoutes(app)),
  registerStudyDataRoutes,
  registerStudyFileRoutes,
  registerInviteRoutes,
  registerSurveyRoutes,
  registerPaperRoutes,
  registerQual,
  async (app) => (await import('./reflection/index.ts')).registerReflection(app),
  // Its own scope: the client form maps bad-token errors to its friendly page.
  async (app) => {
    await app.register(async (scope) => registerMeasureForm(scope));
  },
];
