import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Who the in-app customer is, vouched for by the e-wallet's own backend: it signs
 * `base64url(claims).base64url(HMAC-SHA256(secret, base64url(claims)))` with a secret it shares with
 * channel-inapp, so a customer cannot speak as another user.
 */
export const identityClaimsSchema = z
  .object({
    sub: z.string().min(1).max(128).regex(/^[A-Za-z0-9._:@+-]+$/, 'user id has characters outside [A-Za-z0-9._:@+-]'),
    name: z.string().max(200).optional(),
    /** Phone (E.164) and email the app has verified for this user: they link the user's other channels. */
    phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'phone must be E.164').optional(),
    email: z.string().email().max(320).optional(),
    /** Expiry, seconds since the epoch. */
    exp: z.number().int().positive(),
  })
  .strict();
export type IdentityClaims = z.infer<typeof identityClaimsSchema>;

export class IdentityError extends Error {
  override readonly name = 'IdentityError';
}

export function signIdentity(claims: IdentityClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify(identityClaimsSchema.parse(claims))).toString('base64url');
  return `${body}.${mac(body, secret)}`;
}

/** Throws IdentityError with the reason; `nowSeconds` is passed in so expiry is testable. */
export function verifyIdentity(token: string, secret: string, nowSeconds: number): IdentityClaims {
  if (token.length > 2_048) throw new IdentityError('token too long');
  const [body, signature, ...rest] = token.split('.');
  if (!body || !signature || rest.length > 0) throw new IdentityError('token is not of the form claims.signature');
  const expected = Buffer.from(mac(body, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new IdentityError('bad signature');
  let claims: IdentityClaims;
  try {
    claims = identityClaimsSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    throw new IdentityError('malformed claims');
  }
  if (claims.exp <= nowSeconds) throw new IdentityError('token expired');
  return claims;
}

function mac(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url');
}
