import { createHash } from 'node:crypto';

// A fixed namespace so the same cause always yields the same id: redelivered events
// then collide on unique keys downstream instead of creating duplicates.
const NAMESPACE = Buffer.from('6f1c8a52b4e04c3c9a7d2e5b8c0f1a93', 'hex');

/** RFC 4122 version-5 UUID of the given parts, stable across processes and restarts. */
export function deterministicId(...parts: string[]): string {
  const hash = createHash('sha1').update(NAMESPACE).update(parts.join('\u001f')).digest();
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
