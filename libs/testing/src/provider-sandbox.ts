import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createTransport } from 'nodemailer';
import { FakeMetaGraph } from './fake-meta-graph';
import { FakeTelegram } from './fake-telegram';
import { FakeTwilio, twilioInboundSmsParams } from './fake-twilio';
import { SmtpSink } from './smtp-sink';

/**
 * Every SaaS provider of the channels, locally, for `npm start`: the fakes the tests use on fixed
 * ports, a page showing what the platform sent to customers, and endpoints that play the
 * customer's side (a signed webhook exactly as the provider would send it).
 */
export interface SandboxSettings {
  ports: { http: number; twilio: number; graph: number; telegram: number; smtp: number };
  twilio: { accountSid: string; authToken: string; ourNumber: string };
  meta: { appSecret: string; accessToken: string; phoneNumberId: string; pageId: string; instagramAccountId: string; templates: Record<string, string[]> };
  telegram: { botToken: string; webhookSecret: string };
  /** Where the channel services listen (what the providers would call). */
  channels: { sms: string; social: string; emailIngress: { host: string; port: number }; supportAddress: string };
}

export interface SentToCustomer {
  provider: string;
  to: string;
  text: string;
}

export class ProviderSandbox {
  readonly twilio: FakeTwilio;
  readonly graph: FakeMetaGraph;
  readonly telegram: FakeTelegram;
  readonly mail = new SmtpSink();
  private server?: Server;
  private nextId = 1;

  constructor(readonly settings: SandboxSettings) {
    this.twilio = new FakeTwilio({ accountSid: settings.twilio.accountSid, authToken: settings.twilio.authToken, callbackDelayMs: 500 });
    this.graph = new FakeMetaGraph({ ...settings.meta });
    this.telegram = new FakeTelegram(settings.telegram.botToken);
  }

  async start(): Promise<this> {
    const { ports } = this.settings;
    await Promise.all([this.twilio.start(ports.twilio), this.graph.start(ports.graph), this.telegram.start(ports.telegram), this.mail.start(ports.smtp)]);
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
    });
    this.server = server;
    await new Promise<void>((done) => server.listen(ports.http, '127.0.0.1', done));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => (this.server ? this.server.close(() => done()) : done()));
    await Promise.all([this.twilio.stop(), this.graph.stop(), this.telegram.stop(), this.mail.stop()]);
  }

  /** What the platform sent to customers through the providers, oldest first per provider. */
  sent(): SentToCustomer[] {
    return [
      ...this.twilio.messages.map((m) => ({ provider: 'sms', to: m.to, text: m.body })),
      ...this.graph.requests
        .filter((r) => r.status === 200)
        .map((r) => ({ provider: r.product, to: recipient(r.body), text: graphText(r.body) })),
      ...this.telegram.sent.map((m) => ({ provider: 'telegram', to: m.chatId, text: m.text })),
      ...this.mail.mails.map((m) => ({ provider: 'email', to: m.envelope.rcptTo.join(', '), text: `${m.parsed.subject ?? ''}\n\n${(m.parsed.text ?? '').trim()}` })),
    ];
  }

  /** Plays the customer: the provider's webhook for a message they wrote; answers with the channel's HTTP status. */
  async customerWrites(provider: string, from: string, text: string, name?: string): Promise<number> {
    const { channels, twilio, telegram } = this.settings;
    const id = `${Date.now()}${this.nextId++}`;
    switch (provider) {
      case 'sms':
        return (await this.twilio.sendWebhook(`${channels.sms}/webhooks/twilio/sms`, twilioInboundSmsParams({ from, body: text, to: twilio.ourNumber, accountSid: twilio.accountSid }))).status;
      case 'whatsapp':
        return (await this.graph.postWebhook(`${channels.social}/webhooks/whatsapp`, this.graph.whatsappMessage({ waId: from.replace(/^\+/, ''), id: `wamid.sandbox${id}`, text, name }))).status;
      case 'messenger':
      case 'instagram':
        return (await this.graph.postWebhook(`${channels.social}/webhooks/${provider}`, this.graph.messengerMessage(provider, { senderId: from, mid: `m_sandbox${id}`, text }))).status;
      case 'email':
        return this.customerMails(from, text, name);
      case 'telegram':
        return (await this.telegram.postMessage(`${channels.social}/webhooks/telegram`, { chatId: Number(from), messageId: Number(id.slice(-9)), text, firstName: name }, telegram.webhookSecret)).status;
      default:
        throw new SandboxInputError(`unknown provider '${provider}': use sms, whatsapp, messenger, instagram, telegram or email`);
    }
  }

  /** A mail to the support address through channel-email's SMTP ingress; answers 250 as 200, else the SMTP code. */
  private async customerMails(from: string, text: string, name?: string): Promise<number> {
    const { host, port } = this.settings.channels.emailIngress;
    const transport = createTransport({ host, port, secure: false, ignoreTLS: true });
    try {
      const [subject, ...body] = text.split('\n');
      await transport.sendMail({ from: name ? { name, address: from } : from, to: this.settings.channels.supportAddress, subject, text: body.join('\n').trim() || subject });
      return 200;
    } catch (error) {
      return (error as { responseCode?: number }).responseCode ?? 502;
    } finally {
      transport.close();
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { status: 'ok' });
    if (req.method === 'GET' && url.pathname === '/sent') return send(res, 200, { sent: this.sent() });
    if (req.method === 'GET' && url.pathname === '/') return page(res, this.sent());
    const simulate = /^\/customer\/([a-z]+)$/.exec(url.pathname);
    if (req.method === 'POST' && simulate) {
      const body = await readJson(req);
      if (!body || typeof body.from !== 'string' || typeof body.text !== 'string' || body.text.length === 0) {
        return send(res, 400, { message: 'expected JSON {"from": "<phone, user or chat id>", "text": "...", "name"?: "..."}' });
      }
      try {
        const status = await this.customerWrites(simulate[1], body.from, body.text, typeof body.name === 'string' ? body.name : undefined);
        return send(res, 200, { channelAnswered: status });
      } catch (error) {
        if (error instanceof SandboxInputError) return send(res, 400, { message: error.message });
        throw error;
      }
    }
    send(res, 404, { message: 'GET /, GET /sent, GET /health, POST /customer/{sms|whatsapp|messenger|instagram|telegram|email}' });
  }
}

class SandboxInputError extends Error {}

function recipient(body: Record<string, unknown>): string {
  if (typeof body.to === 'string') return body.to;
  const r = body.recipient as { id?: string } | undefined;
  return r?.id ?? '?';
}

function graphText(body: Record<string, unknown>): string {
  const text = body.text as { body?: string } | undefined;
  if (text?.body) return text.body;
  const message = body.message as { text?: string } | undefined;
  if (message?.text) return message.text;
  const template = body.template as { name?: string; components?: { parameters?: { text?: string }[] }[] } | undefined;
  if (template) return `[template ${template.name}] ${template.components?.[0]?.parameters?.map((p) => p.text).join(' ') ?? ''}`;
  return JSON.stringify(body);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64_000) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function page(res: ServerResponse, sent: SentToCustomer[]): void {
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows = sent
    .slice()
    .reverse()
    .map((m) => `<tr><td>${escape(m.provider)}</td><td>${escape(m.to)}</td><td>${escape(m.text)}</td></tr>`)
    .join('');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
<title>Switchboard provider sandbox</title><style>body{font:14px system-ui,sans-serif;margin:2rem}td{border-top:1px solid #ddd;padding:.3rem .6rem;vertical-align:top;white-space:pre-wrap}</style></head><body>
<h1>Sent to customers (provider sandbox)</h1><p>What the platform sent through the fake Twilio, Graph API, Bot API and the SMTP relay, newest first. Customers write with <code>POST /customer/{sms|whatsapp|messenger|instagram|telegram|email}</code>.</p>
<table><tr><th>provider</th><th>to</th><th>text</th></tr>${rows}</table></body></html>`);
}
