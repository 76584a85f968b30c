import { Connection, Model, Schema } from 'mongoose';

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

/** Per social contact, what sending to them depends on. Owned by channel-social. */
export class SocialContactRepository {
  readonly model: Model<SocialContactDocument>;

  constructor(connection: Connection) {
    this.model = connection.model<SocialContactDocument>('SocialContact', contactSchema);
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }

  /** `$max`: a late redelivery of an older message never moves the window back. */
  async recordInbound(contactKey: string, provider: string, address: string, at: Date): Promise<void> {
    await this.model.updateOne({ _id: contactKey }, { $max: { lastInboundAt: at }, $setOnInsert: { provider, address } }, { upsert: true });
  }

  async lastInboundAt(contactKey: string): Promise<Date | undefined> {
    const contact = await this.model.findById(contactKey).lean<SocialContactDocument>().exec();
    return contact ? new Date(contact.lastInboundAt) : undefined;
  }
}
