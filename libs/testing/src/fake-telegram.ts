import { IncomingMessage, ServerResponse } from 'node:http';
import { LocalHttpFake } from './local-http-fake';

export interface TelegramSent {
  chatId: string;
  text: string;
  messageId: number;
}

/**
 * A local Telegram Bot API: `sendMessage` answers `{ok:true,result:{message_id,…}}`, or the Bot
 * API's errors (unknown token, empty text, chats that blocked the bot); and the webhook side:
 * updates posted to the service with (or without) the secret token.
 */
export class FakeTelegram extends LocalHttpFake {
  readonly sent: TelegramSent[] = [];
  /** Chats whose user blocked the bot: sendMessage answers 403. */
  readonly blocked = new Set<string>();
  private nextMessageId = 1000;
  private nextUpdateId = 500_000;

  constructor(readonly botToken: string) {
    super();
  }

  sentTo(chatId: string): TelegramSent[] {
    return this.sent.filter((m) => m.chatId === chatId);
  }

  /** A customer's text message, as Telegram posts it to the bot's webhook. */
  async postMessage(url: string, message: { chatId: number; messageId: number; text: string; firstName?: string }, secret?: string): Promise<Response> {
    const update = {
      update_id: this.nextUpdateId++,
      message: {
        message_id: message.messageId,
        from: { id: message.chatId, is_bot: false, first_name: message.firstName ?? 'Customer', language_code: 'en' },
        chat: { id: message.chatId, first_name: message.firstName ?? 'Customer', type: 'private' },
        date: Math.floor(Date.now() / 1000),
        text: message.text,
      },
    };
    return this.postUpdate(url, update, secret);
  }

  postUpdate(url: string, update: unknown, secret?: string): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined) headers['x-telegram-bot-api-secret-token'] = secret;
    return fetch(url, { method: 'POST', headers, body: JSON.stringify(update) });
  }

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const error = (code: number, description: string): void => answer(code, { ok: false, error_code: code, description });
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const raw = await new Promise<string>((done) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    });
    if (!match || match[1] !== this.botToken) return error(404, 'Not Found');
    if (match[2] !== 'sendMessage') return error(404, 'Not Found: method not found');
    let body: { chat_id?: unknown; text?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return error(400, "Bad Request: can't parse JSON object");
    }
    const chatId = typeof body.chat_id === 'number' || typeof body.chat_id === 'string' ? String(body.chat_id) : '';
    if (!chatId) return error(400, 'Bad Request: chat_id is empty');
    if (typeof body.text !== 'string' || body.text.trim() === '') return error(400, 'Bad Request: message text is empty');
    if (body.text.length > 4096) return error(400, 'Bad Request: message is too long');
    if (this.blocked.has(chatId)) return error(403, 'Forbidden: bot was blocked by the user');
    const messageId = this.nextMessageId++;
    this.sent.push({ chatId, text: body.text, messageId });
    return answer(200, { ok: true, result: { message_id: messageId, from: { id: 1, is_bot: true, first_name: 'Switchboard' }, chat: { id: Number(chatId), type: 'private' }, date: Math.floor(Date.now() / 1000), text: body.text } });
  }
}
