import type { FastifyInstance } from 'fastify';
import { registerAccountRoutes } from './account.ts';
import { mailerFromEnv } from './mailer.ts';
import { registerPasswordRoutes } from './password.ts';

/** Account routes beyond login: password links, password change, TOTP enrolment; and the staff mailer. */
export function registerAuthRoutes(app: FastifyInstance): void {
  if (!app.hasDecorator('mailer')) app.decorate('mailer', mailerFromEnv());
  registerPasswordRoutes(app);
  registerAccountRoutes(app);
}
