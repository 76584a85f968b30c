/** Seconds as people read a wait: "45s", "4m 05s", "2h 03m", "3d 4h". Negative counts as zero. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Whole seconds from `now` until `iso` (negative once passed); NaN for a missing or bad date. */
export function secondsUntil(iso: string | undefined, now: number): number {
  if (!iso) return NaN;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? NaN : Math.ceil((at - now) / 1000);
}

/** "3 min ago" style age of a past time, for lists. */
export function formatAge(iso: string | undefined, now: number): string {
  const s = -secondsUntil(iso, now);
  if (Number.isNaN(s)) return '';
  return `${formatDuration(s)} ago`;
}
