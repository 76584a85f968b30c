import { Language } from '@switchboard/contracts';

/** An HTTP call to a provider's send API, built without doing it. */
export interface ProviderRequest {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface GraphEndpoint {
  baseUrl: string;
  version: string;
  accessToken: string;
}

export type SendOutcome = { ok: true; providerMessageId: string } | { ok: false; code: string; message: string };

/** WhatsApp answers free text only within 24 hours of the customer's last message; after that only approved templates. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

export function whatsappWindowOpen(lastInboundAt: Date | undefined, now: Date): boolean {
  return lastInboundAt !== undefined && now.getTime() - lastInboundAt.getTime() < WHATSAPP_WINDOW_MS;
}

/** Template languages are approved per locale code; Chinese ones are registered as zh_CN. */
export function whatsappTemplateLanguage(language: Language): string {
  return { en: 'en', id: 'id', zh: 'zh_CN', und: 'en' }[language];
}

/** Each API caps message text; cut at a character boundary (not inside a surrogate pair) and mark the cut. */
export function fitText(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Template parameters may not hold new lines, tabs or more than four spaces in a row (Graph error 132018). */
export function templateParameter(text: string): string {
  return fitText(text.replace(/\s*[\r\n\t]+\s*/g, ' ').replace(/ {4,}/g, '   ').trim(), 1024);
}

function graphUrl(endpoint: GraphEndpoint, node: string): string {
  return `${endpoint.baseUrl.replace(/\/+$/, '')}/${endpoint.version}/${encodeURIComponent(node)}/messages`;
}

function graphHeaders(endpoint: GraphEndpoint): Record<string, string> {
  return { authorization: `Bearer ${endpoint.accessToken}`, 'content-type': 'application/json' };
}

export function whatsappTextRequest(endpoint: GraphEndpoint, phoneNumberId: string, to: string, text: string): ProviderRequest {
  return {
    url: graphUrl(endpoint, phoneNumberId),
    headers: graphHeaders(endpoint),
    body: { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { preview_url: false, body: fitText(text, 4096) } },
  };
}

export function whatsappTemplateRequest(
  endpoint: GraphEndpoint,
  phoneNumberId: string,
  to: string,
  template: { name: string; language: string },
  text: string,
): ProviderRequest {
  return {
    url: graphUrl(endpoint, phoneNumberId),
    headers: graphHeaders(endpoint),
    body: {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'template',
      template: {
        name: template.name,
        language: { code: template.language },
        components: [{ type: 'body', parameters: [{ type: 'text', text: templateParameter(text) }] }],
      },
    },
  };
}

/** Messenger (node = page id) and Instagram (node = Instagram professional account id) share the Send API. */
export function messengerTextRequest(endpoint: GraphEndpoint, node: string, recipientId: string, text: string): ProviderRequest {
  return {
    url: graphUrl(endpoint, node),
    headers: graphHeaders(endpoint),
    // RESPONSE: a reply to the customer's own message, allowed within the 24-hour standard messaging window.
    body: { recipient: { id: recipientId }, messaging_type: 'RESPONSE', message: { text: fitText(text, 2000) } },
  };
}

export function telegramSendMessageRequest(baseUrl: string, botToken: string, chatId: string, text: string): ProviderRequest {
  return {
    url: `${baseUrl.replace(/\/+$/, '')}/bot${botToken}/sendMessage`,
    headers: { 'content-type': 'application/json' },
    body: { chat_id: chatId, text: fitText(text, 4096) },
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Graph answers `messages[0].id` (WhatsApp) or `message_id` (Messenger, Instagram), or `{error:{code,message}}`. */
export function readGraphSendResponse(status: number, json: unknown): SendOutcome {
  const body = record(json);
  const error = record(body.error);
  if (status >= 200 && status < 300 && !body.error) {
    const whatsappId = record(Array.isArray(body.messages) ? body.messages[0] : undefined).id;
    const id = typeof whatsappId === 'string' ? whatsappId : body.message_id;
    if (typeof id === 'string' && id.length > 0) return { ok: true, providerMessageId: id.slice(0, 200) };
    return { ok: false, code: 'no-message-id', message: 'Graph accepted the request but returned no message id' };
  }
  const code = typeof error.code === 'number' || typeof error.code === 'string' ? String(error.code) : `http-${status}`;
  const message = typeof error.message === 'string' ? error.message : `Graph API answered HTTP ${status}`;
  return { ok: false, code, message: message.slice(0, 2000) };
}

/** Bot API: `{ok:true,result:{message_id}}` or `{ok:false,error_code,description}`. */
export function readTelegramSendResponse(status: number, json: unknown): SendOutcome {
  const body = record(json);
  const messageId = record(body.result).message_id;
  if (body.ok === true && (typeof messageId === 'number' || typeof messageId === 'string')) return { ok: true, providerMessageId: String(messageId) };
  const code = typeof body.error_code === 'number' ? String(body.error_code) : `http-${status}`;
  const message = typeof body.description === 'string' ? body.description : `Bot API answered HTTP ${status}`;
  return { ok: false, code, message: message.slice(0, 2000) };
}
