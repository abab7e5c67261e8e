#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so there is no build step between a
// checkout and a running Spiegel (see docs/decisions/0002-no-build-step.md).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
