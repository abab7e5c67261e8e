/** One benchmark figure, printed as one JSON line (the format DESIGN.md fixes for `npm run bench`). */
export interface BenchFigure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  target?: string;
  anchor?: string;
  anchor_value?: number | null;
  [extra: string]: unknown;
}

export function report(figure: BenchFigure): void {
  process.stdout.write(JSON.stringify(figure) + '\n');
}
