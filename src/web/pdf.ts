import { createRequire } from 'node:module';
import type PdfMake from 'pdfmake';
import type { TDocumentDefinitions } from 'pdfmake/interfaces.js';

/**
 * Server-side PDF rendering with pdfmake and its bundled Roboto fonts (read from node_modules; no
 * network). pdfmake may read only those font files and no URLs. Charts go in as the same SVG the
 * page shows.
 */
const require = createRequire(import.meta.url);
const ROBOTO = require('pdfmake/fonts/Roboto.js') as {
  Roboto: Record<'normal' | 'bold' | 'italics' | 'bolditalics', string>;
};
const FONT_FILES = new Set(Object.values(ROBOTO.Roboto));
// Loaded on the first PDF, not at start: a server that renders none never pays for pdfmake (decision 0010).
let loaded: typeof PdfMake | null = null;

function configure(): typeof PdfMake {
  if (loaded) return loaded;
  const pdfmake = require('pdfmake') as typeof PdfMake;
  pdfmake.setFonts(ROBOTO);
  pdfmake.setUrlAccessPolicy(() => false);
  pdfmake.setLocalAccessPolicy((path: string) => FONT_FILES.has(path));
  loaded = pdfmake;
  return pdfmake;
}

export const PDF_STYLES: TDocumentDefinitions['styles'] = {
  h1: { fontSize: 18, bold: true, margin: [0, 0, 0, 6] },
  h2: { fontSize: 13, bold: true, margin: [0, 12, 0, 4] },
  h3: { fontSize: 11, bold: true, margin: [0, 8, 0, 2] },
  muted: { fontSize: 9, color: '#4a5360' },
};

export async function renderPdf(definition: TDocumentDefinitions): Promise<Buffer> {
  const pdfmake = configure();
  const doc = pdfmake.createPdf({ defaultStyle: { font: 'Roboto', fontSize: 10 }, styles: PDF_STYLES, ...definition });
  return (await doc.getBuffer()) as Buffer;
}
