import fc from 'fast-check';
import { inboundMessageSchema } from '@switchboard/contracts';
import { parseMessengerWebhook } from './messenger-webhook';
import { parseTelegramUpdate } from './telegram-update';
import { answerVerifyChallenge, signMetaBody, verifyMetaSignature, verifyTelegramSecret } from './webhook-auth';
import { parseWhatsappWebhook } from './whatsapp-webhook';

const secret = 'app-secret';

function whatsapp(value: Record<string, unknown>) {
  return { object: 'whatsapp_business_account', entry: [{ id: 'waba-1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', ...value } }] }] };
}

describe('Meta webhook signature and handshake', () => {
  const body = Buffer.from('{"object":"page","entry":[]}');

  it('accepts the HMAC-SHA256 of the raw bytes with the app secret, in either hex case', () => {
    const header = signMetaBody(body, secret);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyMetaSignature(body, header, secret)).toBe(true);
    expect(verifyMetaSignature(body, header.replace(/^sha256=/, 'sha256=').toUpperCase().replace('SHA256=', 'sha256='), secret)).toBe(true);
  });

  it('refuses a missing, malformed, other-secret or other-body signature', () => {
    const header = signMetaBody(body, secret);
    expect(verifyMetaSignature(body, undefined, secret)).toBe(false);
    expect(verifyMetaSignature(undefined, header, secret)).toBe(false);
    expect(verifyMetaSignature(body, header.slice(7), secret)).toBe(false);
    expect(verifyMetaSignature(body, signMetaBody(body, 'other'), secret)).toBe(false);
    expect(verifyMetaSignature(Buffer.from('{"object":"page","entry":[] }'), header, secret)).toBe(false);
    expect(verifyMetaSignature(body, [header, header], secret)).toBe(false);
  });

  it('accepts exactly the signed bytes: any changed byte breaks the signature', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), (bytes, at) => {
        const raw = Buffer.from(bytes);
        const header = signMetaBody(raw, secret);
        const changed = Buffer.from(raw);
        changed[at % raw.length] ^= 0x01;
        return verifyMetaSignature(raw, header, secret) && !verifyMetaSignature(changed, header, secret);
      }),
    );
  });

  it('echoes the challenge only for subscribe with our verify token', () => {
    const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'tok', 'hub.challenge': '1158201444' };
    expect(answerVerifyChallenge(query, 'tok')).toBe('1158201444');
    expect(answerVerifyChallenge({ ...query, 'hub.verify_token': 'tok2' }, 'tok')).toBeNull();
    expect(answerVerifyChallenge({ ...query, 'hub.mode': 'unsubscribe' }, 'tok')).toBeNull();
    expect(answerVerifyChallenge({ 'hub.mode': 'subscribe', 'hub.verify_token': 'tok' }, 'tok')).toBeNull();
    expect(answerVerifyChallenge({ ...query, 'hub.verify_token': ['tok'] }, 'tok')).toBeNull();
  });

  it('checks the Telegram secret header exactly', () => {
    expect(verifyTelegramSecret('s3cret_token', 's3cret_token')).toBe(true);
    expect(verifyTelegramSecret('s3cret_toke', 's3cret_token')).toBe(false);
    expect(verifyTelegramSecret(undefined, 's3cret_token')).toBe(false);
  });
});

describe('WhatsApp webhook', () => {
  it('normalises a text message with the customer phone as a verified identity', () => {
    const parsed = parseWhatsappWebhook(
      whatsapp({
        contacts: [{ profile: { name: 'Sari' }, wa_id: '6281234567890' }],
        messages: [{ from: '6281234567890', id: 'wamid.A1', timestamp: '1764400000', type: 'text', text: { body: 'saldo kepotong' } }],
      }),
    );
    if (!parsed.ok) throw new Error(parsed.problems.join());
    const [message] = parsed.batch.messages;
    expect(inboundMessageSchema.parse(message)).toEqual(message);
    expect(message).toMatchObject({
      channel: 'social',
      provider: 'whatsapp',
      providerMessageId: 'wamid.A1',
      contact: { channel: 'social', provider: 'whatsapp', address: '6281234567890', displayName: 'Sari' },
      contactKey: 'social:whatsapp:6281234567890',
      text: 'saldo kepotong',
      receivedAt: new Date(1_764_400_000_000).toISOString(),
      identities: [{ kind: 'phone', value: '+6281234567890', verified: true }],
    });
  });

  it('gives a redelivered message the same event id, another message another', () => {
    const one = (id: string) => parseWhatsappWebhook(whatsapp({ messages: [{ from: '628111111', id, timestamp: '1', type: 'text', text: { body: 'x' } }] }));
    const ids = [one('wamid.1'), one('wamid.1'), one('wamid.2')].map((p) => (p.ok ? p.batch.messages[0].eventId : ''));
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it('keeps media as attachment metadata with the media id, caption as text', () => {
    const parsed = parseWhatsappWebhook(
      whatsapp({
        messages: [
          { from: '628111111', id: 'wamid.img', timestamp: '1', type: 'image', image: { id: 'media-1', mime_type: 'image/jpeg', caption: 'struk', sha256: 'x' } },
          { from: '628111111', id: 'wamid.doc', timestamp: '1', type: 'document', document: { id: 'media-2', mime_type: 'application/pdf', filename: 'bukti.pdf' } },
          { from: '628111111', id: 'wamid.aud', timestamp: '1', type: 'audio', audio: { id: 'media-3', mime_type: 'audio/ogg', voice: true } },
          { from: '628111111', id: 'wamid.vid', timestamp: '1', type: 'video', video: { id: 'media-4', mime_type: 'video/mp4' } },
        ],
      }),
    );
    if (!parsed.ok) throw new Error(parsed.problems.join());
    expect(parsed.batch.skipped).toEqual([]);
    const [image, doc, audio, video] = parsed.batch.messages;
    expect(image).toMatchObject({ text: 'struk', attachments: [{ contentType: 'image/jpeg' }], metadata: { 'attachment.0.mediaId': 'media-1' } });
    expect(doc).toMatchObject({ text: '', attachments: [{ contentType: 'application/pdf', name: 'bukti.pdf' }], metadata: { 'attachment.0.mediaId': 'media-2' } });
    expect(audio.metadata['attachment.0.mediaId']).toBe('media-3');
    expect(video.attachments).toEqual([{ contentType: 'video/mp4' }]);
  });

  it('maps statuses, read as delivered and failed with its error code', () => {
    const parsed = parseWhatsappWebhook(
      whatsapp({
        statuses: [
          { id: 'wamid.S', status: 'sent', timestamp: '10', recipient_id: '628111111' },
          { id: 'wamid.S', status: 'delivered', timestamp: '11', recipient_id: '628111111' },
          { id: 'wamid.S', status: 'read', timestamp: '12', recipient_id: '628111111' },
          { id: 'wamid.F', status: 'failed', timestamp: '13', recipient_id: '628111111', errors: [{ code: 131047, title: 'Re-engagement message' }] },
        ],
      }),
    );
    if (!parsed.ok) throw new Error(parsed.problems.join());
    expect(parsed.batch.statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'delivered', 'failed']);
    expect(parsed.batch.statuses[3]).toMatchObject({ target: { providerMessageId: 'wamid.F' }, error: { code: '131047', message: 'Re-engagement message' } });
  });

  it('keeps the good items of a batch and names the bad ones', () => {
    const parsed = parseWhatsappWebhook(
      whatsapp({
        messages: [
          { from: '628111111', id: 'wamid.ok', timestamp: '1', type: 'text', text: { body: 'ok' } },
          { from: 'not-a-phone', id: 'wamid.bad', timestamp: '1', type: 'text', text: { body: 'x' } },
          { from: '628111111', id: 'wamid.loc', timestamp: '1', type: 'location', location: { latitude: 1, longitude: 2 } },
        ],
        statuses: [{ id: 'wamid.S', status: 'exploded', timestamp: '1' }],
      }),
    );
    if (!parsed.ok) throw new Error(parsed.problems.join());
    expect(parsed.batch.messages.map((m) => m.providerMessageId)).toEqual(['wamid.ok']);
    expect(parsed.batch.skipped.map((s) => s.path)).toEqual([
      'entry.0.changes.0.value.messages.1',
      'entry.0.changes.0.value.messages.2',
      'entry.0.changes.0.value.statuses.0',
    ]);
  });

  it('bounds provider strings to what the receipt schema holds', () => {
    const parsed = parseWhatsappWebhook(whatsapp({ statuses: [{ id: 'wamid.L', status: 'failed', timestamp: '1', errors: [{ code: 1, message: 'x'.repeat(5_000) }] }] }));
    expect(parsed.ok && parsed.batch.statuses[0].error?.message).toHaveLength(2000);
  });

  it('refuses a body that is not a WhatsApp envelope', () => {
    expect(parseWhatsappWebhook({ object: 'page', entry: [] }).ok).toBe(false);
    expect(parseWhatsappWebhook({ entry: 'x' }).ok).toBe(false);
    expect(parseWhatsappWebhook(null).ok).toBe(false);
  });
});

describe('Messenger and Instagram webhooks', () => {
  const page = (messaging: unknown[]) => ({ object: 'page', entry: [{ id: 'page-1', time: 1, messaging }] });

  it('normalises a message with attachments and ignores our own echoes', () => {
    const parsed = parseMessengerWebhook(
      'messenger',
      page([
        { sender: { id: '2400000001' }, recipient: { id: 'page-1' }, timestamp: 1_764_400_000_123, message: { mid: 'm_1', text: 'refund belum masuk', attachments: [{ type: 'image', payload: { url: 'https://cdn.example/x.jpg' } }] } },
        { sender: { id: 'page-1' }, recipient: { id: '2400000001' }, timestamp: 1, message: { mid: 'm_echo', text: 'our reply', is_echo: true } },
      ]),
    );
    if (!parsed.ok) throw new Error(parsed.problems.join());
    expect(parsed.batch.messages).toHaveLength(1);
    expect(parsed.batch.messages[0]).toMatchObject({
      provider: 'messenger',
      providerMessageId: 'm_1',
      contact: { channel: 'social', provider: 'messenger', address: '2400000001' },
      identities: [],
      attachments: [{ contentType: 'image/*', url: 'https://cdn.example/x.jpg' }],
      receivedAt: new Date(1_764_400_000_123).toISOString(),
    });
    expect(parsed.batch.skipped).toEqual([]);
  });

  it('turns delivery mids, watermarks and Instagram read mids into delivered updates', () => {
    const parsed = parseMessengerWebhook(
      'messenger',
      page([
        { sender: { id: '2400000001' }, recipient: { id: 'page-1' }, timestamp: 5, delivery: { mids: ['m_a', 'm_b'], watermark: 4 } },
        { sender: { id: '2400000001' }, recipient: { id: 'page-1' }, timestamp: 6, read: { watermark: 6 } },
      ]),
    );
    if (!parsed.ok) throw new Error(parsed.problems.join());
    expect(parsed.batch.statuses.map((s) => s.target)).toEqual([
      { providerMessageId: 'm_a' },
      { providerMessageId: 'm_b' },
      { recipient: '2400000001', sentUpTo: new Date(6) },
    ]);
    const ig = parseMessengerWebhook('instagram', { object: 'instagram', entry: [{ id: 'ig-1', time: 1, messaging: [{ sender: { id: '17841400000' }, recipient: { id: 'ig-1' }, timestamp: 7, read: { mid: 'aWdf' } }] }] });
    expect(ig.ok && ig.batch.statuses[0]).toMatchObject({ provider: 'instagram', status: 'delivered', target: { providerMessageId: 'aWdf' } });
  });

  it('refuses the other product’s envelope and skips malformed items', () => {
    expect(parseMessengerWebhook('instagram', page([])).ok).toBe(false);
    const parsed = parseMessengerWebhook('messenger', page([{ sender: {}, timestamp: 'x' }, { sender: { id: '1' }, recipient: { id: 'p' }, timestamp: 1 }]));
    expect(parsed.ok && parsed.batch.skipped.map((s) => s.path)).toEqual(['entry.0.messaging.0', 'entry.0.messaging.1']);
  });
});

describe('Telegram update', () => {
  const update = (message: unknown) => ({ update_id: 1, message });
  const base = { message_id: 77, date: 1_764_400_000, chat: { id: 5550001, type: 'private' }, from: { id: 5550001, is_bot: false, first_name: 'Li', last_name: 'Wei', language_code: 'zh-hans' } };

  it('normalises text, keyed by chat and message id', () => {
    const parsed = parseTelegramUpdate(update({ ...base, text: '我的退款还没到账' }));
    if (parsed.kind !== 'message') throw new Error(parsed.kind);
    expect(inboundMessageSchema.parse(parsed.message)).toEqual(parsed.message);
    expect(parsed.message).toMatchObject({
      provider: 'telegram',
      providerMessageId: '5550001:77',
      contact: { channel: 'social', provider: 'telegram', address: '5550001', displayName: 'Li Wei' },
      text: '我的退款还没到账',
      identities: [],
    });
  });

  it('takes the caption and the largest photo size, and documents', () => {
    const parsed = parseTelegramUpdate(
      update({
        ...base,
        caption: 'bukti transfer',
        photo: [{ file_id: 'small', width: 90, height: 90 }, { file_id: 'big', width: 1280, height: 960, file_size: 123_456 }],
        document: { file_id: 'doc-1', file_name: 'struk.pdf', mime_type: 'application/pdf' },
      }),
    );
    if (parsed.kind !== 'message') throw new Error(parsed.kind);
    expect(parsed.message.text).toBe('bukti transfer');
    expect(parsed.message.attachments).toEqual([{ contentType: 'image/jpeg', size: 123_456 }, { contentType: 'application/pdf', name: 'struk.pdf' }]);
    expect(parsed.message.metadata).toMatchObject({ 'attachment.0.fileId': 'big', 'attachment.1.fileId': 'doc-1' });
  });

  it('ignores other update kinds and refuses what is not an update', () => {
    expect(parseTelegramUpdate({ update_id: 2, edited_message: base }).kind).toBe('ignored');
    expect(parseTelegramUpdate({ update_id: 3, message: { ...base, from: { ...base.from, is_bot: true }, text: 'x' } }).kind).toBe('ignored');
    expect(parseTelegramUpdate({ message: base }).kind).toBe('bad');
    expect(parseTelegramUpdate('x').kind).toBe('bad');
  });
});

describe('every parser on garbage', () => {
  it('answers with a result, never throws, and anything it accepts is a valid inbound event', () => {
    const garbage = fc.anything({ maxDepth: 4 });
    const shaped = fc.record({ object: fc.constantFrom('whatsapp_business_account', 'page', 'instagram'), entry: fc.array(fc.anything({ maxDepth: 4 }), { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.oneof(garbage, shaped), (body) => {
        for (const parsed of [parseWhatsappWebhook(body), parseMessengerWebhook('messenger', body), parseMessengerWebhook('instagram', body)]) {
          if (parsed.ok) for (const m of parsed.batch.messages) inboundMessageSchema.parse(m);
        }
        const telegram = parseTelegramUpdate(body);
        if (telegram.kind === 'message') inboundMessageSchema.parse(telegram.message);
      }),
      { numRuns: 300 },
    );
  });
});
