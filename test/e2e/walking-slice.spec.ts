import { Connection } from 'mongoose';
import { eventually } from '@switchboard/testing';
import { Customer } from './customer';
import { usePlatform } from './use-platform';

describe('the walking slice: in-app message to ticket to acknowledgement', () => {
  const { platform, db: database } = usePlatform();
  let db: Connection;

  beforeAll(async () => {
    db = database();
  });

  it('turns a customer message into a routed ticket and pushes the acknowledgement to their socket', async () => {
    const customer = new Customer(platform, 'sari-001');
    const socket = await customer.openApp();

    const started = Date.now();
    const sent = await customer.send('Saldo saya kepotong Rp150.000 tapi transfer ke BCA gagal, tolong min');
    expect(sent.status).toBe(202);

    const ack = await socket.waitForMessage();
    const latency = Date.now() - started;
    console.log(`e2e: message to pushed acknowledgement in ${latency} ms`);

    const ticket = await db.collection('tickets').findOne({ contactKey: 'inapp::sari-001' });
    expect(ticket).toMatchObject({ number: ack.ticketNumber, status: 'open', channel: 'inapp', language: 'id' });
    expect(ticket?.category).toEqual(expect.any(String));
    expect(ticket?.queue).toEqual(expect.any(String));
    expect(ack.text).toContain(`#${ack.ticketNumber}`);
    expect(ack.text).toMatch(/Nomor tiket/);

    const message = await db.collection('ticket_messages').findOne({ _id: sent.body.eventId as never });
    expect(message).toMatchObject({ ticketId: ticket?._id, text: expect.stringContaining('kepotong') });

    // The socket acknowledged it: the receipt travels back to the notifier.
    await eventually(async () => (await db.collection('notifications').findOne({ ticketId: ticket?._id, status: 'delivered' })) ?? undefined);
  });

  it('threads a follow-up onto the open ticket without a second acknowledgement', async () => {
    const customer = new Customer(platform, 'budi-002');
    const socket = await customer.openApp();
    await customer.send('I cannot log in, the OTP never arrives');
    const ack = await socket.waitForMessage();
    const followUp = await customer.send('still no OTP, please help');
    await eventually(async () => (await db.collection('ticket_messages').findOne({ _id: followUp.body.eventId as never })) ?? undefined);

    expect(await db.collection('tickets').countDocuments({ contactKey: 'inapp::budi-002' })).toBe(1);
    const messages = await db.collection('ticket_messages').find({ contactKey: 'inapp::budi-002' }).toArray();
    expect(messages.map((m) => m.ticketId)).toEqual([ack.ticketId, ack.ticketId]);
    expect(socket.received).toHaveLength(1);
  });

  it('answers five messages written within a minute with one acknowledgement', async () => {
    const customer = new Customer(platform, 'burst-005');
    const socket = await customer.openApp();
    const texts = ['halo min', 'saldo saya kepotong', 'Rp50.000', 'di Indomaret', 'tolong dicek ya'];
    const sent = await Promise.all(texts.map((text, i) => customer.send(text, `burst-${i}`)));
    for (const s of sent) await eventually(async () => (await db.collection('ticket_messages').findOne({ _id: s.body.eventId as never })) ?? undefined);
    await socket.waitForMessage();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(socket.received).toHaveLength(1);
    expect(await db.collection('tickets').countDocuments({ contactKey: 'inapp::burst-005' })).toBe(1);
  });

  it('delivers what was sent while the customer was offline when they reconnect', async () => {
    const customer = new Customer(platform, 'offline-003');
    await customer.send('refund belum masuk sudah 5 hari');
    await eventually(async () => (await db.collection('inapp_outbox').findOne({ userId: 'offline-003' })) ?? undefined);
    const socket = await customer.openApp();
    const ack = await socket.waitForMessage();
    expect(ack.text).toContain(`#${ack.ticketNumber}`);
  });

  it('treats a retried POST (same client message id) as one message', async () => {
    const customer = new Customer(platform, 'retry-004');
    const first = await customer.send('payment failed twice', 'client-msg-1');
    const again = await customer.send('payment failed twice', 'client-msg-1');
    expect(again.body.eventId).toBe(first.body.eventId);
    await eventually(async () => (await db.collection('ticket_messages').findOne({ _id: first.body.eventId as never })) ?? undefined);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await db.collection('ticket_messages').countDocuments({ contactKey: 'inapp::retry-004' })).toBe(1);
  });

  it('refuses forged identities and malformed requests with a 4xx and keeps serving', async () => {
    const base = platform.service('channel-inapp').url;
    const post = (body: string, headers: Record<string, string>) =>
      fetch(`${base}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const customer = new Customer(platform, 'mallory');
    const auth = { authorization: `Bearer ${customer.token}` };

    expect((await post('{"text":"hi"}', {})).status).toBe(401);
    expect((await post('{"text":"hi"}', { authorization: `Bearer ${customer.token.slice(0, -2)}xx` })).status).toBe(401);
    const unknown = await post('{"text":"hi","role":"admin"}', auth);
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(await unknown.json())).toMatch(/role/);
    expect((await post('{"text": "hi"', auth)).status).toBe(400);
    expect((await post(JSON.stringify({ text: 'x'.repeat(20_000) }), auth)).status).toBe(400);
    expect((await post(JSON.stringify({ text: 'x'.repeat(2_000_000) }), auth)).status).toBe(413);
    const injection = await post(JSON.stringify({ text: { $gt: '' } }), auth);
    expect(injection.status).toBe(400);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});
