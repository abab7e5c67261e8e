/**
 * Small-cell protection for tables crossed by quasi-identifiers (gender, age band, discipline,
 * experience, institution): a cell counting fewer than `min` people is hidden, and when a row then has
 * exactly one hidden group cell next to a shown total, the smallest other group cell is hidden too, so
 * the hidden one cannot be found by subtracting (secondary suppression).
 */
export interface Cell {
  n: number;
  valid: number;
  pct: number | null;
  suppressed: boolean;
}

/** Marks cells suppressed in place. A cell is small when its count or its group's valid N is below min. */
export function suppressSmallCells(cells: Cell[], total: Cell, min = 5): void {
  for (const c of cells) if ((c.n > 0 && c.n < min) || (c.valid > 0 && c.valid < min)) c.suppressed = true;
  const hidden = cells.filter((c) => c.suppressed);
  if (hidden.length === 1 && !total.suppressed) {
    const others = cells.filter((c) => !c.suppressed).sort((a, b) => a.n - b.n);
    if (others.length > 0) others[0].suppressed = true;
    else total.suppressed = true;
  }
  if (total.n > 0 && total.n < min) total.suppressed = true;
}
