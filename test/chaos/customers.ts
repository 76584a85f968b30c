// Customers on all four channels, each speaking the channel's real protocol: in-app REST with a
// signed identity, Twilio's signed SMS webhook, Meta's signed WhatsApp webhook, SMTP to the MX.
// Shared by the chaos run and the load benchmark.
import { randomBytes } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { signIdentity } from '@switchboard/channels';
import { FakeMetaGraph, FakeTwilio, twilioInboundSmsParams } from '@switchboard/testing';

export const LOAD_CHANNELS = ['inapp', 'sms', 'social', 'email'] as const;
export type LoadChannel = (typeof LOAD_CHANNELS)[number];

export interface CustomerMessage {
  channel: LoadChannel;
  /** The customer's address on the channel: app user id, phone, wa_id, mail address. */
  contact: string;
  /** The id the provider gives the message (what the platform deduplicates on). */
  providerMessageId: string;
  text: string;
  subject?: string;
  /** A second message of a customer who already wrote: threads onto their ticket. */
  followUp: boolean;
}

export interface ChannelEndpoints {
  inappUrl: () => string;
  smsUrl: () => string;
  socialUrl: () => string;
  emailPort: number;
  supportAddress: string;
  ourNumber: string;
  identitySecret: string;
  twilio: FakeTwilio;
  graph: FakeMetaGraph;
}

/** What the channel answered: `ok` for 2xx / SMTP 250; `status` the HTTP or SMTP code, or the network error. */
export interface DeliveryAnswer {
  ok: boolean;
  status: number | string;
}

// A realistic mix: the categories the classifier knows, in English, Indonesian (formal and slang) and Chinese.
const OPENERS: { text: string; subject: string }[] = [
  { text: 'saldo kepotong tapi transfer gagal min, tolong dicek', subject: 'Transfer gagal' },
  { text: 'I cannot log in, the OTP never arrives', subject: 'Login problem' },
  { text: '我的退款还没到账，已经一个星期了', subject: '退款' },
  { text: 'akun saya dibobol, ada transaksi yang bukan saya', subject: 'Akun dibobol' },
  { text: 'my refund for the cancelled order has not arrived yet', subject: 'Refund' },
  { text: 'gk bisa login min, akun terkunci terus', subject: 'Tidak bisa login' },
  { text: 'payment to the merchant failed but my balance was deducted Rp150.000', subject: 'Payment failed' },
  { text: '转账失败了但是钱被扣了', subject: '转账失败' },
  { text: 'someone changed my phone number and email, please block my account now', subject: 'Account hacked' },
  { text: 'how do I upgrade my account to premium?', subject: 'Question' },
  { text: 'refund belum masuk padahal sudah 5 hari', subject: 'Refund belum masuk' },
  { text: '我的账号登录不了，验证码收不到', subject: '登录问题' },
];
const FOLLOW_UPS = ['any update please?', 'ini sudah saya kirim bukti transfernya', '请尽快处理，谢谢', 'still waiting, it is urgent', 'tolong dibantu ya min'];

/** Makes messages with ids and addresses no other run uses. */
export class MessageFactory {
  private readonly tag = randomBytes(3).toString('hex');
  private readonly seed = String(Math.floor(Math.random() * 1000)).padStart(3, '0');
  private next = 0;

  opener(channel: LoadChannel): CustomerMessage {
    const n = ++this.next;
    const pick = OPENERS[n % OPENERS.length];
    return { channel, contact: this.contact(channel, n), providerMessageId: this.messageId(channel, n), text: pick.text, subject: pick.subject, followUp: false };
  }

  followUp(first: CustomerMessage): CustomerMessage {
    const n = ++this.next;
    const text = FOLLOW_UPS[n % FOLLOW_UPS.length];
    return { ...first, providerMessageId: this.messageId(first.channel, n), text, subject: `Re: ${first.subject ?? ''}`.trim(), followUp: true };
  }

  private contact(channel: LoadChannel, n: number): string {
    const digits = `${this.seed}${String(n).padStart(6, '0')}`;
    switch (channel) {
      case 'inapp':
        return `load-${this.tag}-${n}`;
      case 'sms':
        return `+6281${digits}`;
      case 'social':
        return `6285${digits}`;
      case 'email':
        return `c${n}.${this.tag}@mail.test`;
    }
  }

  private messageId(channel: LoadChannel, n: number): string {
    switch (channel) {
      case 'inapp':
        return `cm-${this.tag}-${n}`;
      case 'sms':
        return `SM${randomBytes(16).toString('hex')}`;
      case 'social':
        return `wamid.load${this.tag}${n}`;
      case 'email':
        return `<load-${this.tag}-${n}@mail.test>`;
    }
  }
}

/** Delivers one message the way its provider would, once; the caller decides about retries. */
export class CustomerDrivers {
  constructor(private readonly endpoints: ChannelEndpoints) {}

  async deliver(message: CustomerMessage): Promise<DeliveryAnswer> {
    try {
      switch (message.channel) {
        case 'inapp':
          return await this.inapp(message);
        case 'sms':
          return await this.sms(message);
        case 'social':
          return await this.whatsapp(message);
        case 'email':
          return await this.email(message);
      }
    } catch (error) {
      const e = error as { responseCode?: number; code?: string; cause?: { code?: string } };
      return { ok: false, status: e.responseCode ?? e.cause?.code ?? e.code ?? String(error) };
    }
  }

  /** The in-app identity token the app's backend signs for this customer. */
  inappToken(userId: string): string {
    return signIdentity({ sub: userId, exp: Math.floor(Date.now() / 1000) + 6 * 3600 }, this.endpoints.identitySecret);
  }

  private async inapp(m: CustomerMessage): Promise<DeliveryAnswer> {
    const response = await fetch(`${this.endpoints.inappUrl()}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.inappToken(m.contact)}` },
      body: JSON.stringify({ text: m.text, clientMessageId: m.providerMessageId }),
      signal: AbortSignal.timeout(30_000),
    });
    await response.arrayBuffer();
    return { ok: response.status === 202 || response.status === 200, status: response.status };
  }

  private async sms(m: CustomerMessage): Promise<DeliveryAnswer> {
    const { twilio, ourNumber } = this.endpoints;
    const params = twilioInboundSmsParams({ from: m.contact, body: m.text, to: ourNumber, accountSid: twilio.accountSid, messageSid: m.providerMessageId });
    const response = await twilio.sendWebhook(`${this.endpoints.smsUrl()}/webhooks/twilio/sms`, params);
    await response.arrayBuffer();
    return { ok: response.status === 200, status: response.status };
  }

  private async whatsapp(m: CustomerMessage): Promise<DeliveryAnswer> {
    const { graph } = this.endpoints;
    const body = graph.whatsappMessage({ waId: m.contact, id: m.providerMessageId, text: m.text, name: 'Load Customer' });
    const response = await graph.postWebhook(`${this.endpoints.socialUrl()}/webhooks/whatsapp`, body);
    await response.arrayBuffer();
    return { ok: response.status === 200, status: response.status };
  }

  private async email(m: CustomerMessage): Promise<DeliveryAnswer> {
    // One SMTP session per mail, as each sender's MTA would open.
    const transport = createTransport({ host: '127.0.0.1', port: this.endpoints.emailPort, secure: false, ignoreTLS: true, connectionTimeout: 10_000, socketTimeout: 40_000 });
    try {
      const info = await transport.sendMail({ from: m.contact, to: this.endpoints.supportAddress, subject: m.subject, text: m.text, messageId: m.providerMessageId });
      return { ok: /^250\b/.test(info.response), status: Number(info.response.slice(0, 3)) || info.response };
    } finally {
      transport.close();
    }
  }
}
