import { Collection, Connection, Model, mongo, Schema } from 'mongoose';
import { bulkWriteInChunks } from './bounded';
import { findByIds } from './find-by-ids';
import { insertManyOnce } from './insert-many-once';
import { isDuplicateKey, onlyDuplicateKeys } from './mongo-connection';
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

/**
 * A verified identity (`phone:+62…`, `email:a@b`, the `_id`) and the addresses that proved it: how
 * an address finds the others it links to by `_id` lookups, where a query on the contacts'
 * `verifiedKeys` would be matched document by document on FerretDB v1.
 */
export interface ContactIdentityDocument {
  _id: string;
  contactKeys: string[];
}

/** Set once the identity documents were built from the contacts stored before them. */
const IDENTITIES_BACKFILLED = '~backfilled';

export function verifiedKeysOf(identities: Identity[]): string[] {
  return [...new Set(identities.filter((identity) => identity.verified).map((identity) => `${identity.kind}:${identity.value.toLowerCase()}`))];
}

/** An address as a batch leaves it (see `ContactRepository.recordAddresses`). */
export interface AddressRecord {
  contactKey: string;
  contact: Contact;
  personId: string;
  verifiedKeys: string[];
  firstSeenAt: Date;
  lastSeenAt: Date;
  preferredLanguage?: ContactDocument['preferredLanguage'];
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
  readonly identities: Collection<ContactIdentityDocument>;

  constructor(connection: Connection) {
    this.contacts = connection.model<ContactDocument>('Contact', contactDocumentSchema);
    this.identities = connection.collection<ContactIdentityDocument>('contact_identities');
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
    const [self, proven] = await Promise.all([this.find(contactKey), Promise.all(keys.map((key) => this.identities.findOne({ _id: key })))]);
    const others = [...new Set(proven.flatMap((identity) => identity?.contactKeys ?? []))].filter((key) => key !== contactKey);
    const linked = (await Promise.all(others.map((key) => this.find(key)))).filter((c): c is ContactDocument => c !== null);
    const person = choosePerson(contactKey, keys, self, linked);
    const { personId, preferredLanguage, merged } = person;
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
    // After the address: an identity listing an address not stored (yet) would only cost a lookup.
    await Promise.all(keys.map((key, i) => (proven[i]?.contactKeys.includes(contactKey) ? undefined : this.listIdentity(key, contactKey))));
    if (merged.length > 0) await this.contacts.updateMany({ personId: { $in: merged } }, { $set: { personId, ...(preferredLanguage ? { preferredLanguage } : {}) } }).exec();
    return person;
  }

  // Batch reads and writes of the `classified` consumer (the same steps as `resolve`, decided by
  // `choosePerson` in the caller over what these read): one `$in` read or bulk command each.

  findMany(contactKeys: Iterable<string>): Promise<Map<string, ContactDocument>> {
    return findByIds(this.contacts.collection as unknown as mongo.Collection<ContactDocument>, contactKeys);
  }

  findIdentities(keys: Iterable<string>): Promise<Map<string, ContactIdentityDocument>> {
    return findByIds(this.identities, keys);
  }

  /**
   * Records addresses as `resolve` does (a batch's messages of one address folded into one): those
   * the batch found stored with one update each, in bulk commands; new ones with one `insertMany`
   * (an update costs FerretDB a read and a write per statement, an insert batch one transaction).
   * One another writer inserted meanwhile is updated instead.
   */
  async recordAddresses(addresses: AddressRecord[], stored: ReadonlySet<string>): Promise<void> {
    const fresh = addresses.filter((a) => !stored.has(a.contactKey));
    const { duplicates } = await insertManyOnce(
      this.raw,
      fresh.map(({ contactKey, contact, personId, verifiedKeys, firstSeenAt, lastSeenAt, preferredLanguage }) => ({
        _id: contactKey,
        personId,
        contact,
        verifiedKeys,
        ...(preferredLanguage ? { preferredLanguage } : {}),
        firstSeenAt,
        lastSeenAt,
      })),
    );
    const inserted = new Set(fresh.map((a) => a.contactKey).filter((key) => !duplicates.some((d) => d._id === key)));
    await bulkWriteInChunks(
      this.raw,
      addresses
        .filter((a) => !inserted.has(a.contactKey))
        .map(({ contactKey, contact, personId, verifiedKeys, firstSeenAt, lastSeenAt, preferredLanguage }) => ({
          updateOne: {
            filter: { _id: contactKey },
            update: {
              $setOnInsert: { firstSeenAt },
              $set: { personId, contact, lastSeenAt, ...(preferredLanguage ? { preferredLanguage } : {}) },
              ...(verifiedKeys.length > 0 ? { $addToSet: { verifiedKeys: { $each: verifiedKeys } } } : {}),
            },
            upsert: true,
          },
        })),
    );
  }

  /** Lists addresses under identities they proved (identity → new addresses): new identities inserted together, the others updated in bulk. */
  async listIdentities(byIdentity: Map<string, string[]>, stored: ReadonlySet<string>): Promise<void> {
    const { duplicates } = await insertManyOnce(
      this.identities,
      [...byIdentity].filter(([key]) => !stored.has(key)).map(([key, contactKeys]) => ({ _id: key, contactKeys })),
    );
    const again = new Set(duplicates.map((d) => d._id));
    const operations = [...byIdentity]
      .filter(([key]) => stored.has(key) || again.has(key))
      .map(([key, contactKeys]) => ({ updateOne: { filter: { _id: key }, update: { $addToSet: { contactKeys: { $each: contactKeys } } }, upsert: true } }));
    for (let attempt = 1; ; attempt++) {
      try {
        return await bulkWriteInChunks(this.identities, operations);
      } catch (error) {
        // Two addresses proving the same identity at once both upserted it first: it is there now.
        if (!onlyDuplicateKeys(error) || attempt >= 3) throw error;
      }
    }
  }

  private get raw(): mongo.Collection<ContactDocument> {
    return this.contacts.collection as unknown as mongo.Collection<ContactDocument>;
  }

  private async listIdentity(key: string, contactKey: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.identities.updateOne({ _id: key }, { $addToSet: { contactKeys: contactKey } }, { upsert: true });
        return;
      } catch (error) {
        // Two addresses proving the same identity at once both upserted it first: it is there now.
        if (!isDuplicateKey(error) || attempt >= 3) throw error;
      }
    }
  }

  /**
   * Once, for a database with contacts stored before identity documents existed: lists every
   * address under the identities it proved. Idempotent, so a run cut short runs again whole.
   */
  async backfillIdentities(): Promise<number> {
    if (await this.identities.findOne({ _id: IDENTITIES_BACKFILLED })) return 0;
    const contacts = await this.contacts.find({ 'verifiedKeys.0': { $exists: true } }, { _id: 1, verifiedKeys: 1 }).lean<Pick<ContactDocument, '_id' | 'verifiedKeys'>[]>().exec();
    for (const contact of contacts) for (const key of contact.verifiedKeys) await this.listIdentity(key, contact._id);
    await this.identities.updateOne({ _id: IDENTITIES_BACKFILLED }, { $set: { contactKeys: [] } }, { upsert: true });
    return contacts.length;
  }

  /** The person behind this address answers in `language` on all their addresses; null for an address never seen. */
  async setLanguage(contactKey: string, language: NonNullable<ContactDocument['preferredLanguage']>): Promise<string | null> {
    const contact = await this.find(contactKey);
    if (!contact) return null;
    await this.contacts.updateMany({ personId: contact.personId }, { $set: { preferredLanguage: language } }).exec();
    return contact.personId;
  }
}

/**
 * Pure: the person an address belongs to, given its stored document (`self`, absent for a new
 * address) and the other addresses listed under the identities it proves (`linked`): the
 * earliest-seen person among this address and those of them that still prove one of these keys.
 * `merged`: the other people that turn out to be this one.
 */
export function choosePerson(contactKey: string, keys: string[], self: ContactDocument | null | undefined, linked: ContactDocument[]): ResolvedPerson {
  const matches = linked.filter((c) => c._id !== contactKey && c.verifiedKeys.some((key) => keys.includes(key)));
  const candidates = [...(self ? [self] : []), ...matches].sort(
    (a, b) => new Date(a.firstSeenAt).getTime() - new Date(b.firstSeenAt).getTime() || a._id.localeCompare(b._id),
  );
  const personId = candidates[0]?.personId ?? deterministicId('person', contactKey);
  // A language the person chose carries over to an address that joins them.
  const preferredLanguage = (candidates.find((c) => c.personId === personId && c.preferredLanguage) ?? candidates.find((c) => c.preferredLanguage))?.preferredLanguage;
  const merged = [...new Set(candidates.map((candidate) => candidate.personId))].filter((id) => id !== personId);
  return { personId, merged, ...(preferredLanguage ? { preferredLanguage } : {}) };
}
