/**
 * When the access token expires (ms since epoch), read from its `exp` claim without verifying it:
 * the browser only needs to know when to refresh; the API verifies. Undefined when unreadable.
 */
export function jwtExpiresAt(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Refresh a minute before expiry (at 80% of the life of a short-lived token), never sooner than in 5 s. */
export function refreshDelayMs(token: string, now: number): number {
  const expiresAt = jwtExpiresAt(token);
  if (expiresAt === undefined) return 60_000;
  const left = expiresAt - now;
  return Math.max(5_000, left - 60_000, left * 0.8);
}
