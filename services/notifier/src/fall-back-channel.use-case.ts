import { Category, Channel, Contact, contactKeyOf, deterministicId, Language, OutboundMessage } from '@switchboard/contracts';
import { ContactDocument, ContactRepository, NotificationDocument, NotificationRepository } from '@switchboard/persistence';
import { MESSAGE_KINDS, MessageKind, MessageVars, renderMessage, TemplateOverrides } from '@switchboard/templates';

/** Where a failed message goes next, best first: a verified mailbox, the app, then the person's other chats and phones. */
const PREFERENCE: readonly Channel[] = ['email', 'inapp', 'social', 'sms'];

/**
 * A notification the provider could not deliver (undelivered, a permanent error, or the last of
 * its retries failed) is sent again on another channel the same person has proven, rendered in
 * that channel's form. One fallback per notification (its retries count as the same one), never a
 * chain; with no other channel, the failed status (with the provider's error code) is what the
 * agent sees on the notification.
 */
export class FallBackChannelUseCase {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly contacts: ContactRepository,
    private readonly templates: () => TemplateOverrides = () => ({}),
  ) {}

  async execute(failed: NotificationDocument, now: Date): Promise<OutboundMessage | null> {
    if (failed.fallbackOf || !failed.personId || failed.ticketNumber === undefined) return null;
    const original = failed.retryOf ?? failed._id;
    if (!(MESSAGE_KINDS as readonly string[]).includes(failed.kind)) return null;
    const target = alternative(await this.contacts.addressesOf(failed.personId), failed.contactKey, failed.channel);
    if (!target) return null;

    const language = failed.language as Language;
    const vars: MessageVars = { ticketNumber: failed.ticketNumber, category: failed.category as Category | undefined, ...(failed.vars as MessageVars | undefined) };
    const message = renderMessage(failed.kind as MessageKind, language, target.channel, vars, this.templates());
    const automatic = failed.automatic ?? true;
    const contactKey = contactKeyOf(target);
    const stored = await this.notifications.insertOnce({
      _id: deterministicId('notification', 'fallback', original),
      ticketId: failed.ticketId,
      kind: failed.kind,
      channel: target.channel,
      contactKey,
      personId: failed.personId,
      ticketNumber: failed.ticketNumber,
      category: failed.category,
      fallbackOf: original,
      language,
      text: message.text,
      ...(failed.vars ? { vars: failed.vars } : {}),
      automatic,
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
      automatic,
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
