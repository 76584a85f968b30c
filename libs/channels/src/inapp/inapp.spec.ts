import fc from 'fast-check';
import { inboundMessageSchema } from '@switchboard/contracts';
import { IdentityError, signIdentity, verifyIdentity } from './identity-token';
import { inappMessageRequestSchema, normaliseInappMessage } from './inapp-message';

const secret = 'test-secret';
const now = 1_800_000_000;

describe('in-app identity token', () => {
  it('round-trips signed claims', () => {
    const token = signIdentity({ sub: 'user-42', name: 'Sari', exp: now + 60 }, secret);
    expect(verifyIdentity(token, secret, now)).toEqual({ sub: 'user-42', name: 'Sari', exp: now + 60 });
  });

  it('refuses a token signed with another secret, a tampered body, or an expired one', () => {
    const token = signIdentity({ sub: 'user-42', exp: now + 60 }, secret);
    expect(() => verifyIdentity(token, 'other', now)).toThrow(/bad signature/);
    const forged = Buffer.from(JSON.stringify({ sub: 'admin', exp: now + 60 })).toString('base64url');
    expect(() => verifyIdentity(`${forged}.${token.split('.')[1]}`, secret, now)).toThrow(/bad signature/);
    expect(() => verifyIdentity(token, secret, now + 61)).toThrow(/expired/);
  });

  it('never throws anything but IdentityError on garbage', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (garbage) => {
        try {
          verifyIdentity(garbage, secret, now);
          return false;
        } catch (error) {
          return error instanceof IdentityError;
        }
      }),
    );
  });
});

describe('in-app message', () => {
  const identity = { sub: 'user-42', exp: now + 60 };

  it('normalises into a valid inbound event keyed by the user', () => {
    const request = inappMessageRequestSchema.parse({ text: ' saldo kepotong tapi gagal ', clientMessageId: 'm-1' });
    const event = normaliseInappMessage(request, identity, new Date('2026-11-24T08:00:00Z'), () => 'unused');
    expect(inboundMessageSchema.parse(event)).toMatchObject({ text: 'saldo kepotong tapi gagal', contactKey: 'inapp::user-42' });
  });

  it('gives a retried message (same client id) the same event id', () => {
    const request = inappMessageRequestSchema.parse({ text: 'hi', clientMessageId: 'm-1' });
    const a = normaliseInappMessage(request, identity, new Date(), () => 'x');
    const b = normaliseInappMessage(request, identity, new Date(), () => 'y');
    expect(a.eventId).toBe(b.eventId);
  });

  it('refuses empty text and unknown fields', () => {
    expect(inappMessageRequestSchema.safeParse({ text: '   ' }).success).toBe(false);
    expect(inappMessageRequestSchema.safeParse({ text: 'hi', admin: true }).success).toBe(false);
  });
});
