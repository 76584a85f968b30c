import { Connection, Model, Schema } from 'mongoose';

/** An operator's version of one message template in one language; the defaults live in libs/templates. */
export interface TemplateDocument {
  /** `<kind>:<language>`: one override per pair. */
  _id: string;
  kind: string;
  language: string;
  subject: string;
  text: string;
  sms: string;
  updatedAt: Date;
  updatedBy: string;
}

const templateSchema = new Schema<TemplateDocument>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true },
    language: { type: String, required: true },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    sms: { type: String, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { collection: 'notification_templates', versionKey: false },
);

/** Templates operators changed without a redeploy. Only the notifier writes here. */
export class TemplateRepository {
  readonly model: Model<TemplateDocument>;

  constructor(connection: Connection) {
    this.model = connection.model<TemplateDocument>('NotificationTemplate', templateSchema);
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }

  all(): Promise<TemplateDocument[]> {
    return this.model.find().sort({ _id: 1 }).lean<TemplateDocument[]>().exec();
  }

  async save(template: Omit<TemplateDocument, '_id'>): Promise<TemplateDocument> {
    const _id = `${template.kind}:${template.language}`;
    await this.model.replaceOne({ _id }, { _id, ...template }, { upsert: true }).exec();
    return { _id, ...template };
  }

  /** Back to the default; false when there was no override. */
  async remove(kind: string, language: string): Promise<boolean> {
    return (await this.model.deleteOne({ _id: `${kind}:${language}` }).exec()).deletedCount > 0;
  }
}
