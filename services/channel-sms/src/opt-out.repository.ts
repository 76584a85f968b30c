import { Connection, Model, mongo, Schema } from 'mongoose';
import { SmsKeyword } from '@switchboard/channels';
import { findByIds } from '@switchboard/persistence';

export interface SmsOptOutDocument {
  /** The phone number, E.164. */
  _id: string;
  optedOut: boolean;
  /** The word the customer sent last, as sent, for the audit trail. */
  lastKeyword: string;
  lastMessageSid: string;
  updatedAt: Date;
}

const optOutSchema = new Schema<SmsOptOutDocument>(
  {
    _id: { type: String, required: true },
    optedOut: { type: Boolean, required: true },
    lastKeyword: { type: String, required: true },
    lastMessageSid: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'sms_opt_outs', versionKey: false },
);

/** Who told us to stop texting them. A number we never heard STOP from is not in here. */
export class SmsOptOutRepository {
  readonly model: Model<SmsOptOutDocument>;

  constructor(connection: Connection) {
    this.model = connection.model<SmsOptOutDocument>('SmsOptOut', optOutSchema);
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }

  async isOptedOut(phone: string): Promise<boolean> {
    // By `_id` alone: the only filter FerretDB v1 hands to SQLite rather than matching in Go.
    return (await this.model.findById(phone, { optedOut: 1 }).lean<Pick<SmsOptOutDocument, 'optedOut'>>().exec())?.optedOut === true;
  }

  /** The numbers among these that texted STOP: one `{_id: {$in}}` read for the whole batch. */
  async optedOutAmong(phones: readonly string[]): Promise<Set<string>> {
    const found = await findByIds(this.model.collection as unknown as mongo.Collection<SmsOptOutDocument>, phones, { optedOut: 1 });
    return new Set([...found].filter(([, record]) => record.optedOut === true).map(([phone]) => phone));
  }

  async record(phone: string, optedOut: boolean, keyword: SmsKeyword | string, messageSid: string, at: Date): Promise<void> {
    await this.model.updateOne({ _id: phone }, { $set: { optedOut, lastKeyword: keyword, lastMessageSid: messageSid, updatedAt: at } }, { upsert: true });
  }
}
