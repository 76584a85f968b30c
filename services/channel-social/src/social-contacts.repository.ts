import { Connection, Model, mongo, Schema } from 'mongoose';
import { Coalescer } from '@switchboard/channels';
import { findByIds, insertManyOnce } from '@switchboard/persistence';

export interface SocialContactDocument {
  /** The contact key (`social:<provider>:<address>`). */
  _id: string;
  provider: string;
  address: string;
  /** When the customer last wrote, by the provider's clock: WhatsApp's 24-hour window counts from it. */
  lastInboundAt: Date;
}

const contactSchema = new Schema<SocialContactDocument>(
  {
    _id: { type: String, required: true },
    provider: { type: String, required: true },
    address: { type: String, required: true },
    lastInboundAt: { type: Date, required: true },
  },
  { collection: 'social_contacts', versionKey: false },
);

/** How far apart the newest and oldest inbound times of one shared `$max` may be (see recordInboundMany). */
const SHARED_MAX_SPREAD_MS = 60_000;

/** Per social contact, what sending to them depends on. Owned by channel-social. */
export class SocialContactRepository {
  readonly model: Model<SocialContactDocument>;
  private readonly inbound = new Coalescer<SocialContactDocument>((contacts) => this.recordInboundMany(contacts));

  constructor(connection: Connection) {
    this.model = connection.model<SocialContactDocument>('SocialContact', contactSchema);
  }

  private get raw(): mongo.Collection<SocialContactDocument> {
    return this.model.collection as unknown as mongo.Collection<SocialContactDocument>;
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }

  /**
   * Stored with the other webhooks' contacts of the moment (one write for all of them): an upsert
   * each, under FerretDB's one write lock, was the costliest command of the whole pipeline under
   * load (a read and a write per message, 240 ms each at 25 msg/s).
   */
  recordInbound(contactKey: string, provider: string, address: string, at: Date): Promise<void> {
    return this.inbound.add({ _id: contactKey, provider, address, lastInboundAt: at });
  }

  /**
   * New contacts in one `insertMany`, known ones moved forward by one `updateMany` by `_id`, by
   * `$max` (a late redelivery of an older message never moves the window back). The shared
   * `$max` is the oldest time of those it moves, so a contact's window may be taken to close up
   * to a minute early, never late; a time further back than that is written alone.
   */
  async recordInboundMany(contacts: readonly SocialContactDocument[]): Promise<void> {
    const latest = new Map<string, SocialContactDocument>();
    for (const contact of contacts) if ((latest.get(contact._id)?.lastInboundAt ?? 0) < contact.lastInboundAt) latest.set(contact._id, contact);
    const stored = await findByIds(this.raw, latest.keys(), { lastInboundAt: 1 });
    const { duplicates } = await insertManyOnce(this.raw, [...latest.values()].filter((c) => !stored.has(c._id)));
    const behind = [...latest.values()].filter((c) => {
      const known = stored.get(c._id)?.lastInboundAt;
      return known !== undefined && new Date(known as Date) < c.lastInboundAt;
    });
    const newest = Math.max(0, ...behind.map((c) => c.lastInboundAt.getTime()));
    const together = behind.filter((c) => c.lastInboundAt.getTime() >= newest - SHARED_MAX_SPREAD_MS);
    if (together.length > 0) {
      const oldest = new Date(Math.min(...together.map((c) => c.lastInboundAt.getTime())));
      await this.raw.updateMany({ _id: { $in: together.map((c) => c._id) } }, { $max: { lastInboundAt: oldest } });
    }
    // Rare: a contact another replica inserted meanwhile, a time far behind the others.
    for (const c of [...duplicates, ...behind.filter((b) => !together.includes(b))]) {
      await this.model.updateOne({ _id: c._id }, { $max: { lastInboundAt: c.lastInboundAt }, $setOnInsert: { provider: c.provider, address: c.address } }, { upsert: true });
    }
  }

  async lastInboundAt(contactKey: string): Promise<Date | undefined> {
    const contact = await this.model.findById(contactKey).lean<SocialContactDocument>().exec();
    return contact ? new Date(contact.lastInboundAt) : undefined;
  }
}
