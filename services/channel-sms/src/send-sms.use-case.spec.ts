import { DeliveryReceipt } from '@switchboard/contracts';
import { eventually, freePort } from '@switchboard/testing';
import { ReportedCallbacks } from './reported-callbacks';
import { SendSmsUseCase } from './send-sms.use-case';
import { smsSpecWorld } from './sms-spec-fixture.test';
import { StatusCallbackBatcher } from './status-callback-batcher';

/** The sending use case against the real broker and database, and the real SDK talking to the fake Twilio. */
describe('SendSmsUseCase', () => {
  const world = smsSpecWorld('sms-spec');
  const { fake, publisher, logger, env, outbound, receiptsOf } = world;
  const useCase = (apiUrl = fake.url, timeoutMs = 5_000, reported = new ReportedCallbacks()) =>
    new SendSmsUseCase(world.client(apiUrl, timeoutMs), env, world.outbox, world.optOuts, publisher, logger, reported);
  const waitForReceipt = async (notificationId: string, status: string) =>
    JSON.parse((await world.deliveries.waitFor((r) => r.value !== null && JSON.parse(r.value).notificationId === notificationId && JSON.parse(r.value).status === status)).value ?? 'null') as DeliveryReceipt;

  it('sends with a status callback on the public URL and reports queued with the SID; a redelivery sends nothing', async () => {
    const message = outbound('+6281300000001');
    await useCase().execute(message);
    const [sent] = fake.messagesTo('+6281300000001');
    expect(sent).toMatchObject({ from: '+15005550006', body: message.text, statusCallback: `https://sms.example.com/webhooks/twilio/status?notificationId=${message.notificationId}` });
    expect(await waitForReceipt(message.notificationId, 'queued')).toMatchObject({ providerMessageId: sent.sid, channel: 'sms' });

    await useCase().execute(message);
    expect(fake.messagesTo('+6281300000001')).toHaveLength(1);
    await eventually(() => receiptsOf(message.notificationId).length === 2 || undefined);
    expect(new Set(receiptsOf(message.notificationId).map((r) => r.eventId)).size).toBe(1);
  });

  it('leaves out the queued receipt of a message whose status callback receipt went out first', async () => {
    const reported = new ReportedCallbacks();
    const callbacks = new StatusCallbackBatcher(publisher, world.outbox, logger, reported);
    const [overtaken, plain] = [outbound('+6281300000030'), outbound('+6281300000031')];
    // Twilio's callback for the first message is stored while the batch is still calling Twilio.
    await callbacks.submit({ receipt: { notificationId: overtaken.notificationId, status: 'delivered', providerMessageId: 'SM' + 'c'.repeat(32), at: new Date() }, messageSid: 'SM' + 'c'.repeat(32), twilioStatus: 'delivered' });
    await useCase(fake.url, 5_000, reported).executeBatch([overtaken, plain]);
    expect(fake.messagesTo('+6281300000030')).toHaveLength(1);
    await waitForReceipt(plain.notificationId, 'queued');
    expect(receiptsOf(overtaken.notificationId).map((r) => r.status)).toEqual(['delivered']);
  });

  it('does not call Twilio for an opted-out number', async () => {
    await world.optOuts.record('+6281300000002', true, 'STOP', 'SM1', new Date());
    const message = outbound('+6281300000002');
    await useCase().execute(message);
    expect(await waitForReceipt(message.notificationId, 'failed')).toMatchObject({ error: { code: 'opted_out' } });
    expect(fake.requests.filter((r) => r.params.To === '+6281300000002')).toEqual([]);
  });

  it('retries when Twilio cannot be reached, and then sends once', async () => {
    const message = outbound('+6281300000003');
    const closed = `http://127.0.0.1:${await freePort()}`;
    await expect(useCase(closed).execute(message)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await world.outbox.stateOf(message.notificationId)).toMatchObject({ state: 'retry', attempts: 1 });
    await useCase().execute(message);
    expect(fake.messagesTo('+6281300000003')).toHaveLength(1);
    expect(await world.outbox.stateOf(message.notificationId)).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('never sends again after a call that got no answer', async () => {
    fake.stall('+6281300000004');
    const message = outbound('+6281300000004');
    await useCase(fake.url, 300).execute(message);
    expect(await world.outbox.stateOf(message.notificationId)).toMatchObject({ state: 'sending' });
    await useCase().execute(message);
    expect(fake.requests.filter((r) => r.params.To === '+6281300000004')).toHaveLength(1);
    expect(receiptsOf(message.notificationId)).toEqual([]);
  });

  it('reports a refusal with Twilio’s code, and remembers a Twilio-side unsubscribe', async () => {
    fake.refuse('+6281300000005', { httpStatus: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const message = outbound('+6281300000005');
    await useCase().execute(message);
    expect(await waitForReceipt(message.notificationId, 'failed')).toMatchObject({ error: { code: '21610', message: 'Attempt to send to unsubscribed recipient' } });
    expect(await world.optOuts.isOptedOut('+6281300000005')).toBe(true);
  });

  it('sends a batch: numbers side by side, one number in order, held back behind a message Twilio did not take, receipts for all', async () => {
    const earlier = outbound('+6281300000010');
    await useCase().execute(earlier);
    await world.optOuts.record('+6281300000011', true, 'STOP', 'SM2', new Date());
    fake.refuse('+6281300000012', { httpStatus: 503, code: 20503, message: 'Service unavailable' });
    const busyFirst = outbound('+6281300000012');
    const busySecond = outbound('+6281300000012');
    const fresh = Array.from({ length: 6 }, (_, i) => outbound(`+62813000001${20 + i}`));
    const stopped = outbound('+6281300000011');

    const again = await useCase().executeBatch([busyFirst, ...fresh.slice(0, 3), earlier, busySecond, stopped, ...fresh.slice(3)]);

    expect([...again.keys()].sort()).toEqual([busyFirst.notificationId, busySecond.notificationId].sort());
    // The second message to the busy number was not tried while the first waits for another go.
    expect(fake.requests.filter((r) => r.params.To === '+6281300000012')).toHaveLength(1);
    for (const m of [busyFirst, busySecond]) expect(await world.outbox.stateOf(m.notificationId)).toMatchObject({ state: 'retry' });
    for (const m of fresh) expect(fake.messagesTo(m.contact.address).map((x) => x.body)).toEqual([m.text]);
    expect(fake.messagesTo('+6281300000010')).toHaveLength(1);
    expect(fake.requests.filter((r) => r.params.To === '+6281300000011')).toEqual([]);

    expect(await waitForReceipt(stopped.notificationId, 'failed')).toMatchObject({ error: { code: 'opted_out' } });
    for (const m of fresh) {
      const [sent] = fake.messagesTo(m.contact.address);
      await eventually(() => receiptsOf(m.notificationId).find((r) => r.providerMessageId === sent.sid));
    }
    // The redelivered one repeats its receipt (same event id), nothing more.
    await eventually(() => receiptsOf(earlier.notificationId).length >= 2 || undefined);
    expect(new Set(receiptsOf(earlier.notificationId).map((r) => r.eventId)).size).toBe(1);
    expect(receiptsOf(busyFirst.notificationId)).toEqual([]);

    // Tried again alone, the claim is taken again (still refused here).
    await expect(useCase().execute(busyFirst)).rejects.toMatchObject({ status: 503 });
    expect(await world.outbox.stateOf(busyFirst.notificationId)).toMatchObject({ state: 'retry', attempts: 2 });
  });

  it('once the service is stopping, calls Twilio no more and gives the claims back, so the next delivery sends each once', async () => {
    const batch = [outbound('+6281300000040'), outbound('+6281300000040'), outbound('+6281300000041')];
    const stop = new AbortController();
    stop.abort();
    const again = await useCase().executeBatch(batch, stop.signal);
    expect([...again.keys()].sort()).toEqual(batch.map((m) => m.notificationId).sort());
    expect(String(again.get(batch[2].notificationId))).toContain('the service is stopping');
    expect(fake.requests.filter((r) => ['+6281300000040', '+6281300000041'].includes(String(r.params.To)))).toEqual([]);
    for (const m of batch) expect(await world.outbox.stateOf(m.notificationId)).toMatchObject({ state: 'retry' });

    expect((await useCase().executeBatch(batch)).size).toBe(0);
    expect(fake.messagesTo('+6281300000040').map((m) => m.body)).toHaveLength(2);
    expect(fake.messagesTo('+6281300000041')).toHaveLength(1);
  });
});
