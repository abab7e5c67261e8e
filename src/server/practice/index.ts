import type { FastifyInstance } from 'fastify';
import { registerClientPages } from './clients.ts';
import { registerEpisodePages } from './episodes.ts';
import { registerInvitationPages } from './invitations.ts';
import { registerMessagingJobs } from './messaging.ts';
import { registerMessagingSettings } from './settings.ts';

/** The therapist's daily work: clients, episodes, plan, sessions, invitations and their messages. */
export function registerPractice(app: FastifyInstance): void {
  registerClientPages(app);
  registerEpisodePages(app);
  registerInvitationPages(app);
  registerMessagingJobs(app);
  registerMessagingSettings(app);
}
