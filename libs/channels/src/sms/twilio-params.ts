import { z } from 'zod';

/**
 * The form parameters Twilio posts to our webhooks. Twilio adds fields over time (FromCity,
 * ApiVersion, ReferralNumMedia, ...), so unknown ones pass through; the ones we rely on are
 * required and checked, so a broken or hand-made request gets a 400 that names them.
 * Every value is a single string: a repeated parameter arrives as an array and is refused.
 */

const hexSid = (prefix: string, what: string) =>
  z.string({ required_error: `required: the ${what} (${prefix}…)`, invalid_type_error: `expected one ${what}` }).regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `expected a ${what}: ${prefix} and 32 hex digits`);

/** E.164: what Twilio uses for every phone number it reports. */
export const E164 = /^\+[1-9]\d{1,14}$/;
export const e164Schema = z.string({ required_error: 'required: an E.164 phone number', invalid_type_error: 'expected one phone number' }).regex(E164, 'expected an E.164 phone number such as +6281234567890');

/** Twilio's own limit on a message body; concatenated inbound SMS stay under it too. */
export const MAX_SMS_BODY = 1_600;
/** Twilio delivers at most 10 media per MMS. */
export const MAX_SMS_MEDIA = 10;

const mediaSchema = z.object({
  url: z.string().url('expected a media URL').max(2_000),
  contentType: z.string().min(1).max(200).regex(/^[\w.+-]+\/[\w.+-]+/, 'expected a MIME type'),
});

export const twilioInboundSmsSchema = z
  .object({
    MessageSid: z.string({ required_error: 'required: the message SID (SM… or MM…)', invalid_type_error: 'expected one message SID' }).regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'expected a message SID: SM or MM and 32 hex digits'),
    AccountSid: hexSid('AC', 'account SID'),
    From: e164Schema,
    /** Our number, short code or sender id; not necessarily E.164. */
    To: z.string({ required_error: 'required: the number the message was sent to' }).min(1).max(50),
    Body: z.string({ invalid_type_error: 'expected one message body' }).max(MAX_SMS_BODY, `longer than ${MAX_SMS_BODY} characters`).default(''),
    NumMedia: z.coerce.number().int('expected a whole number').min(0).max(MAX_SMS_MEDIA, `Twilio sends at most ${MAX_SMS_MEDIA} media`).default(0),
    NumSegments: z.string().regex(/^\d{1,3}$/).optional(),
    MessagingServiceSid: hexSid('MG', 'messaging service SID').optional(),
    /** Set by Twilio when Advanced Opt-Out matched a keyword. */
    OptOutType: z.string().max(20).optional(),
    FromCountry: z.string().max(10).optional(),
  })
  .passthrough()
  .transform((params, ctx) => {
    const media: z.infer<typeof mediaSchema>[] = [];
    const fields = params as Record<string, unknown>;
    for (let i = 0; i < params.NumMedia; i++) {
      const item = mediaSchema.safeParse({ url: fields[`MediaUrl${i}`], contentType: fields[`MediaContentType${i}`] });
      if (item.success) media.push(item.data);
      else for (const issue of item.error.issues) ctx.addIssue({ ...issue, path: [issue.path[0] === 'url' ? `MediaUrl${i}` : `MediaContentType${i}`] });
    }
    return { ...params, media };
  });
export type TwilioInboundSms = z.infer<typeof twilioInboundSmsSchema>;

/** What Twilio posts to a message's StatusCallback as it moves along. */
export const twilioStatusCallbackSchema = z
  .object({
    MessageSid: z.string({ required_error: 'required: the message SID' }).regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'expected a message SID: SM or MM and 32 hex digits'),
    AccountSid: hexSid('AC', 'account SID'),
    MessageStatus: z.string({ required_error: 'required: the message status' }).regex(/^[a-z_]{1,30}$/, 'expected a Twilio message status'),
    ErrorCode: z.string().regex(/^\d{1,6}$/, 'expected a numeric Twilio error code').optional(),
    To: z.string().max(50).optional(),
  })
  .passthrough();
export type TwilioStatusCallback = z.infer<typeof twilioStatusCallbackSchema>;

/** Our own query on the StatusCallback URL: which notification the message carried. */
export const statusCallbackQuerySchema = z
  .object({ notificationId: z.string({ required_error: 'required: notificationId in the callback URL' }).min(1).max(200) })
  .strict();
