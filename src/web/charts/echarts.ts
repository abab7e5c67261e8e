import { createRequire } from 'node:module';
import type * as Echarts from 'echarts';

const require = createRequire(import.meta.url);
let loaded: typeof Echarts | null = null;

/**
 * ECharts, loaded on the first chart rather than at start. `require` takes its single-file build
 * (dist/echarts.js, all charts and the SVG renderer) in a fraction of the time the several hundred ESM
 * files of `import 'echarts'` take to resolve, and a server that draws no chart never loads it.
 */
export function echartsLib(): typeof Echarts {
  loaded ??= require('echarts') as typeof Echarts;
  return loaded;
}
