import { jwtExpiresAt, refreshDelayMs } from './jwt-expiry.js';

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const token = (claims: object) => `${b64url({ alg: 'HS256' })}.${b64url(claims)}.sig`;

describe('jwt expiry', () => {
  it('reads exp from a base64url payload', () => {
    expect(jwtExpiresAt(token({ sub: 'u?>', exp: 1_800_000_000 }))).toBe(1_800_000_000_000);
  });

  it('gives up on malformed tokens', () => {
    expect(jwtExpiresAt('opaque')).toBeUndefined();
    expect(jwtExpiresAt('a.%%%.c')).toBeUndefined();
    expect(jwtExpiresAt(token({ sub: 'x' }))).toBeUndefined();
  });

  it('refreshes a minute early for a 15-minute token, and not in a tight loop for an expired one', () => {
    const now = 1_800_000_000_000 - 15 * 60_000;
    expect(refreshDelayMs(token({ exp: 1_800_000_000 }), now)).toBe(14 * 60_000);
    expect(refreshDelayMs(token({ exp: 1_800_000_000 }), 1_800_000_000_000 + 1)).toBe(5_000);
    expect(refreshDelayMs('opaque', now)).toBe(60_000);
  });
});
