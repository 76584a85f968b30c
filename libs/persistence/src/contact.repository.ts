import { Connection, Model, Schema } from 'mongoose';
import { Contact, deterministicId, Identity } from '@switchboard/contracts';

/** One address of a customer on one channel, and the person it belongs to. */
export interface ContactDocument {
  /** The contact key (`channel:provider:address`). */
  _id: string;
  personId: string;
  contact: Contact;
  /** `phone:+62…` / `email:a@b` this address has proven; the only grounds for linking addresses. */
  verifiedKeys: string[];
  /** The language the person asked to be answered in; kept on each of their addresses. */
  preferredLanguage?: 'en' | 'id' | 'zh';
  firstSeenAt: Date;
  lastSeenAt: Date;
}

const contactDocumentSchema = new Schema<ContactDocument>(
  {
    _id: { type: String, required: true },
    personId: { type: String, required: true },
    contact: { type: Schema.Types.Mixed, required: true },
    verifiedKeys: { type: [String], default: [] },
    preferredLanguage: String,
    firstSeenAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
  },
  { collection: 'contacts', versionKey: false },
);
contactDocumentSchema.index({ verifiedKeys: 1 });
contactDocumentSchema.index({ personId: 1 });

export function verifiedKeysOf(identities: Identity[]): string[] {
  return [...new Set(identities.filter((identity) => identity.verified).map((identity) => `${identity.kind}:${identity.value.toLowerCase()}`))];
}

export interface ResolvedPerson {
  personId: string;
  /** People that turned out to be this one (a verified phone or email they share); their tickets move over. */
  merged: string[];
  preferredLanguage?: ContactDocument['preferredLanguage'];
}

/**
 * The contact directory: one customer, many addresses. Addresses join a person only on verified
 * identities (a carrier-delivered SMS proves its phone, WhatsApp its number, a signed in-app profile
 * its email or phone), never on a bare From header or a display name.
 */
export class ContactRepository {
  readonly contacts: Model<ContactDocument>;

  constructor(connection: Connection) {
    this.contacts = connection.model<ContactDocument>('Contact', contactDocumentSchema);
  }

  async ensureIndexes(): Promise<void> {
    await this.contacts.createIndexes();
  }

  find(contactKey: string): Promise<ContactDocument | null> {
    return this.contacts.findById(contactKey).lean<ContactDocument>().exec();
  }

  addressesOf(personId: string): Promise<ContactDocument[]> {
    return this.contacts.find({ personId }).sort({ firstSeenAt: 1 }).lean<ContactDocument[]>().exec();
  }

  /**
   * Records the address and returns its person: the earliest-seen person among this address and
   * every address sharing one of its verified identities. Running it again gives the same answer,
   * so a redelivered message links nothing new.
   */
  async resolve(contactKey: string, contact: Contact, identities: Identity[], seenAt: Date): Promise<ResolvedPerson> {
    const keys = verifiedKeysOf(identities);
    const [self, matches] = await Promise.all([
      this.find(contactKey),
      keys.length > 0 ? this.contacts.find({ verifiedKeys: { $in: keys } }).lean<ContactDocument[]>().exec() : Promise.resolve([]),
    ]);
    const candidates = [...(self ? [self] : []), ...matches].sort(
      (a, b) => new Date(a.firstSeenAt).getTime() - new Date(b.firstSeenAt).getTime() || a._id.localeCompare(b._id),
    );
    const personId = candidates[0]?.personId ?? deterministicId('person', contactKey);
    // A language the person chose carries over to an address that joins them.
    const preferredLanguage = (candidates.find((c) => c.personId === personId && c.preferredLanguage) ?? candidates.find((c) => c.preferredLanguage))?.preferredLanguage;
    await this.contacts
      .updateOne(
        { _id: contactKey },
        {
          $setOnInsert: { firstSeenAt: seenAt },
          $set: { personId, contact, lastSeenAt: seenAt, ...(preferredLanguage ? { preferredLanguage } : {}) },
          ...(keys.length > 0 ? { $addToSet: { verifiedKeys: { $each: keys } } } : {}),
        },
        { upsert: true },
      )
      .exec();
    const merged = [...new Set(candidates.map((candidate) => candidate.personId))].filter((id) => id !== personId);
    if (merged.length > 0) await this.contacts.updateMany({ personId: { $in: merged } }, { $set: { personId, ...(preferredLanguage ? { preferredLanguage } : {}) } }).exec();
    return { personId, merged, ...(preferredLanguage ? { preferredLanguage } : {}) };
  }

  /** The person behind this address answers in `language` on all their addresses; null for an address never seen. */
  async setLanguage(contactKey: string, language: NonNullable<ContactDocument['preferredLanguage']>): Promise<string | null> {
    const contact = await this.find(contactKey);
    if (!contact) return null;
    await this.contacts.updateMany({ personId: contact.personId }, { $set: { preferredLanguage: language } }).exec();
    return contact.personId;
  }
}
