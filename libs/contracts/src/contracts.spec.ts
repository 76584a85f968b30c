import { contactKeyOf } from './channels';
import { commandSchema, deliveryCheckSchema, inboundMessageSchema } from './events';
import { deterministicId } from './ids';
import { outboundTopic, TOPIC_SCHEMAS } from './topics';

describe('deterministicId', () => {
  it('is a v5 UUID that depends only on its parts', () => {
    const id = deterministicId('ticket', 'abc');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicId('ticket', 'abc')).toBe(id);
    expect(deterministicId('ticket', 'abd')).not.toBe(id);
    expect(deterministicId('ticketa', 'bc')).not.toBe(id);
  });
});

describe('event schemas', () => {
  const inbound = {
    schemaVersion: 1,
    eventId: 'e1',
    channel: 'sms',
    provider: 'twilio',
    providerMessageId: 'SM1',
    contact: { channel: 'sms', address: '+6281234567890' },
    contactKey: 'sms::+6281234567890',
    text: 'gk bisa login',
    receivedAt: '2026-11-24T08:00:00.000Z',
  };

  it('accepts a valid inbound message and fills defaults', () => {
    expect(inboundMessageSchema.parse(inbound)).toMatchObject({ attachments: [], metadata: {} });
  });

  it('refuses unknown fields, unknown versions and oversized text', () => {
    expect(inboundMessageSchema.safeParse({ ...inbound, admin: true }).success).toBe(false);
    expect(inboundMessageSchema.safeParse({ ...inbound, schemaVersion: 2 }).success).toBe(false);
    expect(inboundMessageSchema.safeParse({ ...inbound, text: 'x'.repeat(100_001) }).success).toBe(false);
  });

  it('has a schema for every outbound channel topic', () => {
    for (const channel of ['email', 'sms', 'social', 'inapp'] as const) expect(TOPIC_SCHEMAS[outboundTopic(channel)]).toBeDefined();
  });

  it('keys contacts case-insensitively by channel, provider and address', () => {
    expect(contactKeyOf({ channel: 'email', address: 'Sari@Example.com' })).toBe('email::sari@example.com');
    expect(contactKeyOf({ channel: 'social', provider: 'telegram', address: '42' })).toBe('social:telegram:42');
  });
});

describe('delivery checks', () => {
  const check = { schemaVersion: 1, eventId: 'k1', notificationId: 'n1', channel: 'sms', check: 1, requestedAt: '2026-11-30T08:00:00.000Z' };

  it('has a topic, accepts a check with or without the provider id, refuses unknown fields and a check 0', () => {
    expect(TOPIC_SCHEMAS['delivery-checks']).toBe(deliveryCheckSchema);
    expect(deliveryCheckSchema.safeParse(check).success).toBe(true);
    expect(deliveryCheckSchema.safeParse({ ...check, providerMessageId: 'SM1' }).success).toBe(true);
    expect(deliveryCheckSchema.safeParse({ ...check, status: 'delivered' }).success).toBe(false);
    expect(deliveryCheckSchema.safeParse({ ...check, check: 0 }).success).toBe(false);
  });
});

describe('commands', () => {
  const command = (body: Record<string, unknown>) => ({
    schemaVersion: 1,
    eventId: 'c1',
    actor: { id: 'agent-1', role: 'agent' },
    issuedAt: '2026-11-29T08:00:00.000Z',
    command: body,
  });

  it('accepts an agent reply and trims it; refuses a blank one', () => {
    const parsed = commandSchema.parse(command({ type: 'ticket.reply', ticketId: 't1', agentId: 'agent-1', text: '  Sudah kami cek  ' }));
    expect(parsed.command).toEqual({ type: 'ticket.reply', ticketId: 't1', agentId: 'agent-1', text: 'Sudah kami cek' });
    expect(commandSchema.safeParse(command({ type: 'ticket.reply', ticketId: 't1', agentId: 'agent-1', text: '   ' })).success).toBe(false);
  });

  it('refuses a language nobody can be answered in', () => {
    expect(commandSchema.safeParse(command({ type: 'contact.set_language', contactKey: 'sms::+62811', language: 'id' })).success).toBe(true);
    expect(commandSchema.safeParse(command({ type: 'contact.set_language', contactKey: 'sms::+62811', language: 'und' })).success).toBe(false);
  });
});
