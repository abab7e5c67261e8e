import type { FastifyInstance } from 'fastify';
import { registerQualAnalysisRoutes } from './analysis.ts';
import { registerQualCodebookRoutes } from './codebook.ts';
import { registerQualCodingRoutes } from './coding.ts';
import { registerQualConsensusRoutes } from './consensus.ts';
import { registerQualExploreRoutes } from './explore.ts';
import { registerQualMemberCheckRoutes } from './member-check.ts';
import { registerQualPreparationRoutes } from './preparation.ts';
import { registerQualProjectRoutes } from './projects.ts';

/**
 * Qualitative interview coding (issue 20): projects, transcripts and codebook; blind coding in the
 * browser; agreement; the consensus layer; the analysis tables and exports; member checks.
 */
export function registerQual(app: FastifyInstance): void {
  registerQualProjectRoutes(app);
  registerQualPreparationRoutes(app);
  registerQualCodebookRoutes(app);
  registerQualCodingRoutes(app);
  registerQualConsensusRoutes(app);
  registerQualAnalysisRoutes(app);
  registerQualExploreRoutes(app);
  registerQualMemberCheckRoutes(app);
}
