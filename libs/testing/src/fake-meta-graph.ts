import { randomBytes } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { signMetaBody } from '@switchboard/channels';
import { LocalHttpFake } from './local-http-fake';

export interface GraphRequest {
  method: string;
  path: string;
  /** The Graph node the call was for: phone number id, page id or Instagram account id. */
  node: string;
  product: 'whatsapp' | 'messenger' | 'instagram' | 'unknown';
  authorization?: string;
  body: Record<string, unknown>;
  /** What the fake answered. */
  status: number;
  messageId?: string;
}

export interface FakeMetaGraphOptions {
  accessToken: string;
  appSecret: string;
  version?: string;
  phoneNumberId: string;
  pageId: string;
  instagramAccountId: string;
  /** Approved WhatsApp templates and their languages. */
  templates?: Record<string, string[]>;
}

type GraphError = { status: number; code: number; message: string; type?: string; subcode?: number };

export type SignatureMode = 'valid' | 'forged' | 'missing';

/**
 * A local Graph API for the send endpoints channel-social uses (WhatsApp Cloud API messages,
 * Messenger and Instagram Send API), answering and refusing like Graph does, and Meta's webhook
 * side: it posts signed (or forged) webhooks to the service.
 */
export class FakeMetaGraph extends LocalHttpFake {
  readonly requests: GraphRequest[] = [];
  /** wa_ids whose 24-hour window is closed: free text to them fails with 131047. */
  readonly outsideWindow = new Set<string>();
  /** PSIDs / IGSIDs that cannot be messaged (error 551). */
  readonly unavailable = new Set<string>();
  private readonly version: string;

  constructor(readonly options: FakeMetaGraphOptions) {
    super();
    this.version = options.version ?? 'v21.0';
  }

  /** Successful sends to one recipient (wa_id, PSID or IGSID), oldest first. */
  sentTo(recipient: string): GraphRequest[] {
    return this.requests.filter((r) => r.status === 200 && recipientOf(r.body) === recipient);
  }

  // ---- webhooks towards the service -------------------------------------------------------

  /** POSTs a webhook body as Meta would: JSON, `X-Hub-Signature-256` over the exact bytes. */
  async postWebhook(url: string, body: unknown, signature: SignatureMode = 'valid'): Promise<Response> {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (signature === 'valid') headers['x-hub-signature-256'] = signMetaBody(raw, this.options.appSecret);
    if (signature === 'forged') headers['x-hub-signature-256'] = signMetaBody(raw, `not-${this.options.appSecret}`);
    return fetch(url, { method: 'POST', headers, body: raw });
  }

  /** The status webhook WhatsApp sends for a message we answered with `id`. */
  postWhatsappStatus(url: string, status: { id: string; recipient: string; status: 'sent' | 'delivered' | 'read' | 'failed'; errorCode?: number; errorTitle?: string }): Promise<Response> {
    const item = {
      id: status.id,
      status: status.status,
      timestamp: String(Math.floor(Date.now() / 1000)),
      recipient_id: status.recipient,
      ...(status.status === 'failed' ? { errors: [{ code: status.errorCode ?? 131026, title: status.errorTitle ?? 'Message undeliverable' }] } : {}),
    };
    return this.postWebhook(url, whatsappEnvelope(this.options.phoneNumberId, { statuses: [item] }));
  }

  /** A Messenger or Instagram receipt from the customer: `delivery` (mids), or `read` (watermark, or mid on Instagram). */
  postMessagingReceipt(
    url: string,
    product: 'messenger' | 'instagram',
    customerId: string,
    receipt: { delivery: { mids?: string[]; watermark: number } } | { read: { watermark?: number; mid?: string } },
  ): Promise<Response> {
    const owner = product === 'messenger' ? this.options.pageId : this.options.instagramAccountId;
    return this.postWebhook(url, {
      object: product === 'messenger' ? 'page' : 'instagram',
      entry: [{ id: owner, time: Date.now(), messaging: [{ sender: { id: customerId }, recipient: { id: owner }, timestamp: Date.now(), ...receipt }] }],
    });
  }

  whatsappMessage(message: { waId: string; id: string; text: string; name?: string; timestamp?: Date }): Record<string, unknown> {
    return whatsappEnvelope(this.options.phoneNumberId, {
      contacts: [{ profile: { name: message.name ?? 'Customer' }, wa_id: message.waId }],
      messages: [
        { from: message.waId, id: message.id, timestamp: String(Math.floor((message.timestamp ?? new Date()).getTime() / 1000)), type: 'text', text: { body: message.text } },
      ],
    });
  }

  messengerMessage(product: 'messenger' | 'instagram', message: { senderId: string; mid: string; text: string }): Record<string, unknown> {
    const owner = product === 'messenger' ? this.options.pageId : this.options.instagramAccountId;
    return {
      object: product === 'messenger' ? 'page' : 'instagram',
      entry: [{ id: owner, time: Date.now(), messaging: [{ sender: { id: message.senderId }, recipient: { id: owner }, timestamp: Date.now(), message: { mid: message.mid, text: message.text } }] }],
    };
  }

  // ---- the Graph API ----------------------------------------------------------------------

  protected async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const match = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(path);
    const raw = await readBody(req);
    const record: GraphRequest = { method: req.method ?? '', path, node: match?.[2] ?? '', product: 'unknown', authorization: req.headers.authorization, body: {}, status: 0 };
    this.requests.push(record);
    const answer = (status: number, body: unknown) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const fail = (e: GraphError) => answer(e.status, { error: { message: e.message, type: e.type ?? 'OAuthException', code: e.code, ...(e.subcode ? { error_subcode: e.subcode } : {}), fbtrace_id: randomBytes(8).toString('base64url') } });

    if (req.method !== 'POST' || !match || match[1] !== this.version) return fail({ status: 400, code: 2500, message: `Unknown path components: ${path}` });
    if (req.headers.authorization !== `Bearer ${this.options.accessToken}`) return fail({ status: 401, code: 190, message: 'Invalid OAuth access token - Cannot parse access token' });
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      record.body = parsed as Record<string, unknown>;
    } catch {
      return fail({ status: 400, code: 100, message: '(#100) The parameter messaging_product is required.' });
    }
    const node = match[2];
    if (node === this.options.phoneNumberId) {
      record.product = 'whatsapp';
      const problem = this.checkWhatsapp(record.body);
      if (problem) return fail(problem);
      record.messageId = `wamid.${randomBytes(24).toString('base64url')}`;
      return answer(200, { messaging_product: 'whatsapp', contacts: [{ input: record.body.to, wa_id: record.body.to }], messages: [{ id: record.messageId }] });
    }
    if (node === this.options.pageId || node === this.options.instagramAccountId) {
      record.product = node === this.options.pageId ? 'messenger' : 'instagram';
      const problem = this.checkSendApi(record.body);
      if (problem) return fail(problem);
      record.messageId = record.product === 'messenger' ? `m_${randomBytes(24).toString('base64url')}` : `aWdf${randomBytes(24).toString('base64url')}`;
      return answer(200, { recipient_id: recipientOf(record.body), message_id: record.messageId });
    }
    return fail({ status: 400, code: 100, message: `(#100) Unsupported post request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`, type: 'GraphMethodException', subcode: 33 });
  }

  private checkWhatsapp(body: Record<string, unknown>): GraphError | undefined {
    const invalid = (message: string, code = 100): GraphError => ({ status: 400, code, message });
    if (body.messaging_product !== 'whatsapp') return invalid('(#100) The parameter messaging_product is required.');
    if (typeof body.to !== 'string' || !/^\+?\d{6,15}$/.test(body.to)) return invalid('(#100) Invalid parameter', 100);
    if (body.type === 'text') {
      const text = (body.text as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string' || text.length === 0) return invalid('(#100) The parameter text[\'body\'] is required.');
      if (text.length > 4096) return invalid('(#100) Param text[\'body\'] must be at most 4096 characters long.');
      if (this.outsideWindow.has(body.to)) {
        return { status: 400, code: 131047, message: 'Re-engagement message', type: 'OAuthException' };
      }
      return undefined;
    }
    if (body.type === 'template') {
      const template = body.template as { name?: unknown; language?: { code?: unknown }; components?: { type: string; parameters?: { type: string; text?: string }[] }[] } | undefined;
      const languages = typeof template?.name === 'string' ? this.options.templates?.[template.name] : undefined;
      if (!languages || typeof template?.language?.code !== 'string' || !languages.includes(template.language.code)) {
        return invalid('(#132001) Template name does not exist in the translation', 132001);
      }
      const parameters = template.components?.find((c) => c.type === 'body')?.parameters ?? [];
      if (parameters.length !== 1) return invalid('(#132000) Number of parameters does not match the expected number of params', 132000);
      const text = parameters[0].text ?? '';
      if (text.length === 0 || /[\n\t]| {5,}/.test(text)) return invalid('(#132018) There was an issue with the parameters in your template.', 132018);
      return undefined;
    }
    return invalid(`(#100) Param type must be one of {AUDIO, CONTACTS, DOCUMENT, IMAGE, INTERACTIVE, LOCATION, REACTION, STICKER, TEMPLATE, TEXT, VIDEO} - got "${String(body.type)}".`);
  }

  private checkSendApi(body: Record<string, unknown>): GraphError | undefined {
    const recipient = recipientOf(body);
    if (!recipient) return { status: 400, code: 100, message: '(#100) The parameter recipient is required' };
    if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(String(body.messaging_type))) return { status: 400, code: 100, message: '(#100) Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}' };
    const text = (body.message as { text?: unknown } | undefined)?.text;
    if (typeof text !== 'string' || text.length === 0) return { status: 400, code: 100, message: '(#100) The parameter message[text] is required' };
    if (text.length > 2000) return { status: 400, code: 100, message: '(#100) Length of param message[text] must be less than or equal to 2000' };
    if (this.unavailable.has(recipient)) return { status: 400, code: 551, subcode: 1545041, message: "(#551) This person isn't available right now." };
    return undefined;
  }
}

export function whatsappEnvelope(phoneNumberId: string, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: 'waba-e2e', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: phoneNumberId }, ...value } }] }],
  };
}

function recipientOf(body: Record<string, unknown>): string | undefined {
  if (typeof body.to === 'string') return body.to;
  const id = (body.recipient as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}
