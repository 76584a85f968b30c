import { Connection, Model, mongo, Schema } from 'mongoose';
import { insertManyOnce } from '@switchboard/persistence';

/** A user we have stored a message for: only their sockets can have anything pending on connect. */
export interface InappRecipientDocument {
  /** The user id (the identity token's `sub`). */
  _id: string;
  since: Date;
}

const recipientSchema = new Schema<InappRecipientDocument>({ _id: { type: String, required: true }, since: { type: Date, required: true } }, { collection: 'inapp_recipients', versionKey: false });

/**
 * Who may have pending in-app messages, by `_id`. Listing a user's pending messages is a scan of
 * every in-app message on FerretDB v1 (it reads by `_id` alone): done on every socket connect, it
 * grew with the collection and was the in-app channel's costliest command under load. A connect
 * now reads this record by `_id` first, and scans only for a user who was ever sent something.
 * Owned by channel-inapp.
 */
export class InappRecipientRepository {
  readonly model: Model<InappRecipientDocument>;
  /** Users this process has recorded or seen recorded: no second write or read for them (a cache, emptied when full). */
  private readonly known = new Set<string>();
  private readonly knownLimit = 100_000;

  constructor(connection: Connection) {
    this.model = connection.model<InappRecipientDocument>('InappRecipient', recipientSchema);
  }

  private get raw(): mongo.Collection<InappRecipientDocument> {
    return this.model.collection as unknown as mongo.Collection<InappRecipientDocument>;
  }

  /**
   * A deployment that stored messages before this record existed gets it for every user with a
   * message not yet delivered, once, while the collection is empty.
   */
  async ensureIndexes(): Promise<void> {
    if ((await this.raw.findOne({})) !== null) return;
    const pending = (await this.model.db.collection('inapp_outbox').distinct('userId', { delivered: false })) as string[];
    await insertManyOnce(this.raw, pending.map((userId) => ({ _id: userId, since: new Date() })));
  }

  /** Recorded before the users' messages are stored, so a connect that finds no record has nothing to find. */
  async remember(userIds: Iterable<string>, at: Date): Promise<void> {
    const unknown = [...new Set(userIds)].filter((id) => !this.known.has(id));
    await insertManyOnce(this.raw, unknown.map((userId) => ({ _id: userId, since: at })));
    for (const id of unknown) this.know(id);
  }

  async mayHavePending(userId: string): Promise<boolean> {
    if (this.known.has(userId)) return true;
    const found = (await this.raw.findOne({ _id: userId }, { projection: { _id: 1 } })) !== null;
    if (found) this.know(userId);
    return found;
  }

  private know(userId: string): void {
    if (this.known.size >= this.knownLimit) this.known.clear();
    this.known.add(userId);
  }
}
