import { DeliveryCheck, deterministicId } from '@switchboard/contracts';
import { eventually, freePort } from '@switchboard/testing';
import { CheckDeliveryUseCase } from './check-delivery.use-case';
import { SendSmsUseCase } from './send-sms.use-case';
import { smsSpecWorld } from './sms-spec-fixture.test';

/** Status checks against the real broker and database, with the real SDK asking the fake Twilio by SID. */
describe('CheckDeliveryUseCase', () => {
  const world = smsSpecWorld('sms-check-spec');
  const { fake, publisher, logger, env, outbound, receiptsOf } = world;
  const checker = (apiUrl = fake.url) => new CheckDeliveryUseCase(world.client(apiUrl), env, world.outbox, publisher, logger);

  const check = (notificationId: string, providerMessageId?: string): DeliveryCheck => ({
    schemaVersion: 1,
    eventId: deterministicId('delivery-check', notificationId, '1'),
    notificationId,
    channel: 'sms',
    ...(providerMessageId ? { providerMessageId } : {}),
    check: 1,
    requestedAt: new Date().toISOString(),
  });
  /** Sent through the real use case, its callbacks lost; once Twilio's status is final. */
  async function sentAndLost(to: string): Promise<{ notificationId: string; sid: string }> {
    fake.loseCallbacks(to);
    const message = outbound(to);
    await new SendSmsUseCase(world.client(), env, world.outbox, world.optOuts, publisher, logger).execute(message);
    const [sent] = fake.messagesTo(to);
    await eventually(() => (['delivered', 'undelivered', 'failed'].includes(sent.status) ? true : undefined));
    expect(sent.callbacks).toEqual([]);
    return { notificationId: message.notificationId, sid: sent.sid };
  }

  it('publishes the delivered receipt under the callback receipt id, finding the SID in the outbox when the request has none', async () => {
    const { notificationId, sid } = await sentAndLost('+6281300000801');
    expect(await checker().executeBatch([check(notificationId)])).toEqual(new Map());
    const receipt = await eventually(() => receiptsOf(notificationId).find((r) => r.status === 'delivered'));
    expect(receipt).toMatchObject({ eventId: deterministicId('delivery', notificationId, 'delivered'), providerMessageId: sid, channel: 'sms' });
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/Messages/${sid}.json`))).toHaveLength(1);
  });

  it('reports undelivered with the carrier error; a message Twilio does not know and one without a SID publish nothing', async () => {
    fake.failDeliveries('+6281300000802', { status: 'undelivered', errorCode: 30003 });
    const { notificationId, sid } = await sentAndLost('+6281300000802');
    const unknown = check('c-unknown', 'SM' + '0'.repeat(32));
    const noSid = check('c-never-sent');
    // One batch, one produce request on one partition: once the undelivered receipt is read, the others would have been too.
    expect(await checker().executeBatch([unknown, noSid, check(notificationId, sid)])).toEqual(new Map());
    const receipt = await eventually(() => receiptsOf(notificationId).find((r) => r.status === 'undelivered'));
    expect(receipt).toMatchObject({ eventId: deterministicId('delivery', notificationId, 'undelivered'), error: { code: '30003', message: 'Twilio reported undelivered (error 30003)' } });
    expect(receiptsOf('c-unknown')).toEqual([]);
    expect(receiptsOf('c-never-sent')).toEqual([]);
  });

  it('starts no call once the service is stopping, and gives the checks back for redelivery', async () => {
    const { notificationId, sid } = await sentAndLost('+6281300000803');
    const stopping = new AbortController();
    stopping.abort();
    const request = check(notificationId, sid);
    expect([...(await checker().executeBatch([request], stopping.signal)).keys()]).toEqual([request.eventId]);
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/Messages/${sid}.json`))).toEqual([]);
  });

  it('asks again later when Twilio cannot be reached', async () => {
    const request = check('c-unreachable', 'SM' + '1'.repeat(32));
    const again = await checker(`http://127.0.0.1:${await freePort()}`).executeBatch([request]);
    expect([...again.keys()]).toEqual([request.eventId]);
  });
});
