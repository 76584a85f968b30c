import { Connection } from 'mongoose';
import { DeliveryReceipt, TicketEvent } from '@switchboard/contracts';
import { ContactRepository, NotificationRepository, openMongo } from '@switchboard/persistence';
import { testInfra, uniqueName } from '@switchboard/testing';
import { DeliverOrRetryUseCase } from './deliver-or-retry.use-case';
import { FallBackChannelUseCase } from './fall-back-channel.use-case';
import { NotifyCustomerUseCase } from './notify-customer.use-case';

const SMS = { channel: 'sms' as const, address: '+6281300000777', provider: 'twilio' };

function replied(ticketId: string, messageId: string): TicketEvent {
  return {
    schemaVersion: 1,
    eventId: `reply-${messageId}`,
    type: 'ticket.agent_replied',
    ticket: {
      id: ticketId, number: 42, status: 'assigned', category: 'refund', confidence: 0.9, triage: false, queue: 'refunds', priority: 40, language: 'en', urgency: [],
      channel: 'sms', contact: SMS, contactKey: 'sms:twilio:+6281300000777', personId: 'person-rina', openedAt: '2026-11-29T08:00:00.000Z',
    },
    message: { channel: 'sms', providerMessageId: 'SM1', contact: SMS, contactKey: 'sms:twilio:+6281300000777', autoSubmitted: false },
    reply: { messageId, agentId: 'putri', text: 'We found the payment; the refund is on its way.' },
    causationId: messageId,
    occurredAt: '2026-11-29T08:00:00.000Z',
  };
}

const failed = (notificationId: string, code: string, status: DeliveryReceipt['status'] = 'failed'): DeliveryReceipt => ({
  schemaVersion: 1, eventId: `r-${notificationId}-${code}`, notificationId, channel: 'sms', status, error: { code, message: 'x' }, occurredAt: new Date().toISOString(),
});

describe('DeliverOrRetryUseCase against a real MongoDB-wire server', () => {
  const infra = testInfra();
  let connection: Connection;
  let notifications: NotificationRepository;
  let contacts: ContactRepository;
  let notify: NotifyCustomerUseCase;
  let failures: DeliverOrRetryUseCase;
  const t0 = new Date('2026-11-29T10:00:00Z');

  beforeAll(async () => {
    connection = await openMongo({ url: infra.mongoUrl, dbName: uniqueName('notifier_retry').replace(/-/g, '_') });
    notifications = new NotificationRepository(connection);
    contacts = new ContactRepository(connection);
    await notifications.ensureIndexes();
    await contacts.ensureIndexes();
    // Rina's SMS address and her in-app profile, which proved her email.
    await contacts.resolve('sms:twilio:+6281300000777', SMS, [{ kind: 'phone', value: SMS.address, verified: true }], t0);
    await contacts.resolve('inapp::rina', { channel: 'inapp', address: 'rina' }, [{ kind: 'phone', value: SMS.address, verified: true }, { kind: 'email', value: 'rina@mail.test', verified: true }], t0);
    notify = new NotifyCustomerUseCase(notifications, { defaultLanguage: 'en', maxPerContactPerHour: 100 });
    failures = new DeliverOrRetryUseCase(notifications, new FallBackChannelUseCase(notifications, contacts), [30_000, 120_000, 600_000]);
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  async function sendReply(ticketId: string): Promise<string> {
    const personId = (await contacts.find('sms:twilio:+6281300000777'))?.personId ?? '';
    const [outbound] = await notify.execute({ ...replied(ticketId, `m-${ticketId}`), ticket: { ...replied(ticketId, '').ticket, personId } }, t0);
    return outbound.notificationId;
  }

  it('retries a temporary failure three times on the same channel with the configured delays, then falls back with the agent’s words', async () => {
    const id = await sendReply('t1');
    let failing = id;
    const dues: number[] = [];
    for (let retry = 1; retry <= 3; retry++) {
      await notifications.recordDelivery(failing, { status: 'failed', at: t0, errorCode: '30008' });
      const next = await failures.execute(failed(failing, '30008'), t0);
      if (next.kind !== 'retry-scheduled') throw new Error(`expected a retry, got ${next.kind}`);
      expect(next.retry).toBe(retry);
      dues.push(next.dueAt.getTime() - t0.getTime());
      const stored = await notifications.find(next.notificationId);
      expect(stored).toMatchObject({ retryOf: id, retry, channel: 'sms', status: 'queued', outbound: { notificationId: next.notificationId, channel: 'sms', automatic: false } });
      failing = next.notificationId;
    }
    expect(dues).toEqual([30_000, 120_000, 600_000]);
    // Not due before its time; due after.
    expect((await notifications.dueRetries(new Date(t0.getTime() + 29_000), 10)).map((n) => n._id)).not.toContain(failing);

    const last = await failures.execute(failed(failing, '30008'), t0);
    if (last.kind !== 'fall-back') throw new Error(`expected the fallback, got ${last.kind}`);
    expect(last.outbound).toMatchObject({ channel: 'email', contact: { address: 'rina@mail.test' }, kind: 'agent_reply', automatic: false });
    expect(last.outbound.text).toContain('the refund is on its way');
    expect(await notifications.model.countDocuments({ ticketId: 't1' })).toBe(5);

    // The fallback fails too: the original is marked as given up, for the agents.
    expect(await failures.execute(failed(last.outbound.notificationId, '550'), t0)).toEqual({ kind: 'gave-up', notificationId: id });
    expect((await notifications.find(id))?.gaveUpAt).toBeDefined();
  });

  it('skips the retries for a permanent error or an undelivered message', async () => {
    const optedOut = await sendReply('t2');
    expect((await failures.execute(failed(optedOut, '21610'), t0)).kind).toBe('fall-back');
    const unreachable = await sendReply('t3');
    expect((await failures.execute(failed(unreachable, '30003', 'undelivered'), t0)).kind).toBe('fall-back');
    expect(await notifications.model.countDocuments({ retryOf: { $in: [optedOut, unreachable] } })).toBe(0);
  });

  it('schedules each retry once when the receipt is redelivered', async () => {
    const id = await sendReply('t4');
    const a = await failures.execute(failed(id, '429'), t0);
    const b = await failures.execute(failed(id, '429'), t0);
    expect(a).toEqual(b);
    expect(await notifications.model.countDocuments({ retryOf: id })).toBe(1);
  });
});
