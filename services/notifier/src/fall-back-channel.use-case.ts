import { Category, Channel, Contact, contactKeyOf, DeliveryReceipt, deterministicId, Language, OutboundMessage } from '@switchboard/contracts';
import { ContactDocument, ContactRepository, NotificationRepository } from '@switchboard/persistence';
import { MESSAGE_KINDS, MessageKind, renderMessage, TemplateOverrides } from '@switchboard/templates';

/** Where a failed message goes next, best first: a verified mailbox, the app, then the person's other chats and phones. */
const PREFERENCE: readonly Channel[] = ['email', 'inapp', 'social', 'sms'];

/**
 * A notification the provider could not deliver (failed / undelivered, after the channel's own
 * retries) is sent again on another channel the same person has proven, rendered in that
 * channel's form. One fallback per notification, never a chain; with no other channel, the failed
 * status (with the provider's error code) is what the agent sees on the notification.
 */
export class FallBackChannelUseCase {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly contacts: ContactRepository,
    private readonly templates: () => TemplateOverrides = () => ({}),
  ) {}

  async execute(receipt: DeliveryReceipt, now: Date): Promise<OutboundMessage | null> {
    if (receipt.status !== 'failed' && receipt.status !== 'undelivered') return null;
    const failed = await this.notifications.find(receipt.notificationId);
    if (!failed || failed.fallbackOf || !failed.personId || failed.ticketNumber === undefined) return null;
    if (!(MESSAGE_KINDS as readonly string[]).includes(failed.kind)) return null;
    const target = alternative(await this.contacts.addressesOf(failed.personId), failed.contactKey, failed.channel);
    if (!target) return null;

    const language = failed.language as Language;
    const message = renderMessage(failed.kind as MessageKind, language, target.channel, { ticketNumber: failed.ticketNumber, category: failed.category as Category | undefined }, this.templates());
    const contactKey = contactKeyOf(target);
    const stored = await this.notifications.insertOnce({
      _id: deterministicId('notification', 'fallback', failed._id),
      ticketId: failed.ticketId,
      kind: failed.kind,
      channel: target.channel,
      contactKey,
      personId: failed.personId,
      ticketNumber: failed.ticketNumber,
      category: failed.category,
      fallbackOf: failed._id,
      language,
      text: message.text,
      status: 'queued',
      deliveries: [],
      createdAt: now,
      updatedAt: now,
    });
    return {
      schemaVersion: 1,
      eventId: deterministicId('outbound', stored._id),
      notificationId: stored._id,
      kind: failed.kind,
      ticketId: failed.ticketId,
      ticketNumber: failed.ticketNumber,
      channel: target.channel,
      contact: target,
      contactKey,
      language,
      text: stored.text,
      ...(message.subject ? { subject: message.subject } : {}),
      ...(message.html ? { html: message.html } : {}),
      automatic: true,
      createdAt: new Date(stored.createdAt).toISOString(),
    };
  }
}

/** Addresses the person proved (their verified emails and phones) and the ones they wrote from, minus the one that failed. */
export function alternative(addresses: ContactDocument[], failedKey: string, failedChannel: Channel): Contact | undefined {
  const candidates: Contact[] = [];
  for (const address of addresses) {
    for (const key of address.verifiedKeys) if (key.startsWith('email:')) candidates.push({ channel: 'email', address: key.slice('email:'.length) });
    candidates.push(address.contact);
  }
  const usable = candidates.filter((c) => contactKeyOf(c) !== failedKey && c.channel !== failedChannel);
  for (const channel of PREFERENCE) {
    const found = usable.find((c) => c.channel === channel);
    if (found) return found;
  }
  return undefined;
}
