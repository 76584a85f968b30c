import { z } from 'zod';
import { MAX_SMS_BODY } from '@switchboard/channels';
import { infraEnvSchema, portSetting } from '@switchboard/service-kit';

const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());
const url = (what: string) => z.string().url(`expected an http(s) URL: ${what}`).regex(/^https?:\/\//, `expected an http(s) URL: ${what}`);

export const smsEnvSchema = infraEnvSchema
  .extend({
    PORT: portSetting(3002),
    TWILIO_ACCOUNT_SID: z.string({ required_error: 'required: your Twilio account SID (AC…)' }).regex(/^AC[0-9a-fA-F]{32}$/, 'expected AC and 32 hex digits'),
    /** Signs Twilio's webhooks and authenticates our API calls. */
    TWILIO_AUTH_TOKEN: z.string({ required_error: 'required: your Twilio auth token (checks webhook signatures)' }).min(16, 'expected the 32-character auth token'),
    /** The number (E.164), short code or alphanumeric sender id we send from... */
    TWILIO_FROM: optional(z.string().regex(/^(\+[1-9]\d{1,14}|\d{3,8}|[A-Za-z0-9 ]{1,11})$/, 'expected an E.164 number, a short code or an alphanumeric sender id')),
    /** ...or a Messaging Service, which picks the sender itself; it wins when both are set. */
    TWILIO_MESSAGING_SERVICE_SID: optional(z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'expected MG and 32 hex digits')),
    /** The address Twilio reaches this service at (scheme, host, port, path prefix of a proxy): webhook signatures are over it. */
    SMS_PUBLIC_BASE_URL: optional(url('the address Twilio calls, e.g. https://sms.example.com')),
    /** Only for tests and local demos: a server speaking Twilio's REST API in place of https://api.twilio.com. */
    TWILIO_API_BASE_URL: optional(url('a stand-in for https://api.twilio.com')),
    /** Answer to HELP, in TwiML. Carriers require one. */
    SMS_HELP_TEXT: z
      .string()
      .min(1)
      .max(MAX_SMS_BODY)
      .default('Switchboard support: reply to this number with your question and we will get back to you. Reply STOP to stop messages, START to resume.'),
    /** Messages API calls under way at once (each number's messages still go one after another). */
    SMS_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(20),
    /** Largest webhook body accepted; Twilio's are a few kB. */
    SMS_WEBHOOK_BODY_LIMIT: z.coerce.number().int().min(1_024).max(10_485_760).default(65_536),
  })
  .superRefine((env, ctx) => {
    if (!env.TWILIO_FROM && !env.TWILIO_MESSAGING_SERVICE_SID) {
      ctx.addIssue({ code: 'custom', path: ['TWILIO_FROM'], message: 'required: TWILIO_FROM (a sender number) or TWILIO_MESSAGING_SERVICE_SID' });
    }
  })
  .transform((env) => ({ ...env, SMS_PUBLIC_BASE_URL: (env.SMS_PUBLIC_BASE_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/+$/, '') }));
export type SmsEnv = z.infer<typeof smsEnvSchema>;
export const SMS_ENV = Symbol('SMS_ENV');

/** Sender fields of a Messages API call. */
export function senderOf(env: SmsEnv): { messagingServiceSid: string } | { from: string } {
  if (env.TWILIO_MESSAGING_SERVICE_SID) return { messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID };
  if (env.TWILIO_FROM) return { from: env.TWILIO_FROM };
  throw new Error('no sender configured');
}

