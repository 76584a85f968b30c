/** One figure of the simulator's report, side by side for the running and the proposed workflow. */
export interface FigureRow {
  figure: string;
  current: number | undefined;
  proposed: number | undefined;
  /** proposed − current, when both are numbers. */
  change: number | undefined;
}

function leaves(value: unknown, prefix: string, out: Map<string, number>): void {
  if (typeof value === 'number' && Number.isFinite(value)) out.set(prefix, value);
  else if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) leaves(child, prefix ? `${prefix}.${key}` : key, out);
  }
}

/**
 * The two simulation reports as rows of numbers, in the current report's order (figures only the
 * proposal has come after), so an operator reads what the change would do before saving it.
 */
export function compareReports(current: unknown, proposed: unknown): FigureRow[] {
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  leaves(current, '', a);
  leaves(proposed, '', b);
  const figures = [...new Set([...a.keys(), ...b.keys()])];
  return figures.map((figure) => {
    const c = a.get(figure);
    const p = b.get(figure);
    return { figure, current: c, proposed: p, change: c !== undefined && p !== undefined ? p - c : undefined };
  });
}
