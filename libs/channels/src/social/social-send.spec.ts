import {
  fitText,
  messengerTextRequest,
  readGraphSendResponse,
  readTelegramSendResponse,
  telegramSendMessageRequest,
  templateParameter,
  whatsappTemplateLanguage,
  whatsappTemplateRequest,
  whatsappTextRequest,
  whatsappWindowOpen,
} from './social-send';

const graph = { baseUrl: 'http://127.0.0.1:9999/', version: 'v21.0', accessToken: 'EAAG-token' };

describe('social send requests', () => {
  it('builds the WhatsApp text and template calls', () => {
    const text = whatsappTextRequest(graph, '1065001', '628111111', 'Tiket #12');
    expect(text.url).toBe('http://127.0.0.1:9999/v21.0/1065001/messages');
    expect(text.headers.authorization).toBe('Bearer EAAG-token');
    expect(text.body).toMatchObject({ messaging_product: 'whatsapp', to: '628111111', type: 'text', text: { body: 'Tiket #12' } });
    const template = whatsappTemplateRequest(graph, '1065001', '628111111', { name: 'ticket_update', language: 'zh_CN' }, 'line one\n\nline  two');
    expect(template.body).toMatchObject({
      type: 'template',
      template: { name: 'ticket_update', language: { code: 'zh_CN' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'line one line  two' }] }] },
    });
  });

  it('builds the Messenger/Instagram and Telegram calls', () => {
    expect(messengerTextRequest(graph, 'page-1', '2400000001', 'hi')).toMatchObject({
      url: 'http://127.0.0.1:9999/v21.0/page-1/messages',
      body: { recipient: { id: '2400000001' }, messaging_type: 'RESPONSE', message: { text: 'hi' } },
    });
    expect(telegramSendMessageRequest('http://tg/', '123:ABC', '-1005', 'hi')).toMatchObject({ url: 'http://tg/bot123:ABC/sendMessage', body: { chat_id: '-1005', text: 'hi' } });
  });

  it('keeps within each API’s length and parameter rules', () => {
    expect(Array.from(fitText('😀'.repeat(3000), 2000))).toHaveLength(2000);
    expect(fitText('short', 10)).toBe('short');
    expect(templateParameter('a\tb      c')).toBe('a b   c');
    expect((messengerTextRequest(graph, 'p', 'r', 'x'.repeat(5000)).body.message as { text: string }).text).toHaveLength(2000);
  });

  it('opens the WhatsApp window for 24 hours after the customer’s last message', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    expect(whatsappWindowOpen(new Date('2026-11-28T12:00:01Z'), now)).toBe(true);
    expect(whatsappWindowOpen(new Date('2026-11-28T12:00:00Z'), now)).toBe(false);
    expect(whatsappWindowOpen(undefined, now)).toBe(false);
    expect([whatsappTemplateLanguage('en'), whatsappTemplateLanguage('id'), whatsappTemplateLanguage('zh'), whatsappTemplateLanguage('und')]).toEqual(['en', 'id', 'zh_CN', 'en']);
  });

  it('reads provider answers into a message id or an error code', () => {
    expect(readGraphSendResponse(200, { messaging_product: 'whatsapp', contacts: [{ wa_id: '1' }], messages: [{ id: 'wamid.X' }] })).toEqual({ ok: true, providerMessageId: 'wamid.X' });
    expect(readGraphSendResponse(200, { recipient_id: '1', message_id: 'm_X' })).toEqual({ ok: true, providerMessageId: 'm_X' });
    expect(readGraphSendResponse(400, { error: { message: 'Re-engagement message', type: 'OAuthException', code: 131047 } })).toEqual({ ok: false, code: '131047', message: 'Re-engagement message' });
    expect(readGraphSendResponse(502, 'bad gateway')).toMatchObject({ ok: false, code: 'http-502' });
    expect(readGraphSendResponse(200, {})).toMatchObject({ ok: false, code: 'no-message-id' });
    expect(readTelegramSendResponse(200, { ok: true, result: { message_id: 9 } })).toEqual({ ok: true, providerMessageId: '9' });
    expect(readTelegramSendResponse(403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' })).toEqual({ ok: false, code: '403', message: 'Forbidden: bot was blocked by the user' });
  });
});
