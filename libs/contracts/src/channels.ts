import { z } from 'zod';

export const CHANNELS = ['email', 'sms', 'social', 'inapp'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

/** Who wrote in and where to answer them; `address` is channel-specific (email, E.164, platform user id). */
export const contactSchema = z
  .object({
    channel: channelSchema,
    address: z.string().min(1).max(320),
    /** Social platform (whatsapp, messenger, instagram, telegram) or provider name. */
    provider: z.string().min(1).max(40).optional(),
    displayName: z.string().max(200).optional(),
  })
  .strict();
export type Contact = z.infer<typeof contactSchema>;

/** One key per customer per channel address: messages of a contact share a partition and stay in order. */
export function contactKeyOf(contact: Pick<Contact, 'channel' | 'address' | 'provider'>): string {
  return [contact.channel, contact.provider ?? '', contact.address.toLowerCase()].join(':');
}
