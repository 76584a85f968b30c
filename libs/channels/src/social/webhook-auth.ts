import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Compares secrets without leaking where (or at what length) they differ. */
export function constantTimeEquals(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** `sha256=<hex>` as Meta sends it in `X-Hub-Signature-256`: HMAC-SHA256 of the raw body with the app secret. */
export function signMetaBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/**
 * Checks `X-Hub-Signature-256` against the bytes as they arrived: re-serialising the parsed JSON
 * would change escapes and key order, and the signature with them.
 */
export function verifyMetaSignature(rawBody: Buffer | undefined, header: string | string[] | undefined, appSecret: string): boolean {
  if (!rawBody || typeof header !== 'string' || !/^sha256=[0-9a-f]{64}$/i.test(header)) return false;
  return constantTimeEquals(header.toLowerCase(), signMetaBody(rawBody, appSecret));
}

/**
 * Meta's subscription handshake: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…` must
 * echo the challenge, and only for our verify token (anyone can call the endpoint).
 */
export function answerVerifyChallenge(query: Record<string, unknown>, verifyToken: string): string | null {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe' || typeof token !== 'string' || typeof challenge !== 'string') return null;
  if (challenge.length === 0 || challenge.length > 200) return null;
  return constantTimeEquals(token, verifyToken) ? challenge : null;
}

/** Telegram sends the `secret_token` given to setWebhook back in `X-Telegram-Bot-Api-Secret-Token`. */
export function verifyTelegramSecret(header: string | string[] | undefined, secret: string): boolean {
  return typeof header === 'string' && constantTimeEquals(header, secret);
}
