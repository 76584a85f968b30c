import type { Connection } from 'mongoose';

export interface RecordedCommand {
  name: string;
  collection: string;
  /** The filter of each statement (find, update, delete, findAndModify); none for an insert. */
  filters: Record<string, unknown>[];
}

const STATEMENTS: Record<string, (command: Record<string, unknown>) => Record<string, unknown>[]> = {
  find: (c) => [(c.filter as Record<string, unknown>) ?? {}],
  update: (c) => (c.updates as { q: Record<string, unknown> }[]).map((u) => u.q),
  delete: (c) => (c.deletes as { q: Record<string, unknown> }[]).map((d) => d.q),
  findAndModify: (c) => [(c.query as Record<string, unknown>) ?? {}],
  count: (c) => [(c.query as Record<string, unknown>) ?? {}],
  insert: () => [],
  /** The rest of a cursor: another round trip, so it counts. */
  getMore: () => [],
};

/**
 * Records the MongoDB commands sent over a connection (the driver's command monitoring), so a test
 * can say which queries a piece of code makes: e.g. that a per-message path filters on `_id`
 * alone (or `_id: {$in}`), the only filters deploy/local's FerretDB hands to SQLite's index
 * instead of matching every document in Go.
 */
export class MongoCommandRecorder {
  readonly commands: RecordedCommand[] = [];
  private recording = false;

  constructor(connection: Connection) {
    const client = connection.getClient();
    client.on('commandStarted', (event) => {
      const statements = STATEMENTS[event.commandName];
      if (!this.recording || !statements) return;
      const command = event.command as Record<string, unknown>;
      const collection = event.commandName === 'getMore' ? command.collection : command[event.commandName];
      this.commands.push({ name: event.commandName, collection: String(collection), filters: statements(command) });
    });
  }

  /** Records what `work` sends, and returns it. */
  async during(work: () => Promise<unknown>): Promise<RecordedCommand[]> {
    const from = this.commands.length;
    this.recording = true;
    try {
      await work();
    } finally {
      this.recording = false;
    }
    return this.commands.slice(from);
  }
}

/** `{_id: <string>}` and nothing else. */
export function filtersOnIdAlone(filter: Record<string, unknown>): boolean {
  const keys = Object.keys(filter);
  return keys.length === 1 && keys[0] === '_id' && typeof filter._id === 'string';
}

/** `{_id: <string>}` or `{_id: {$in: [<string>...]}}` and nothing else: both read by the index. */
export function filtersOnIdsAlone(filter: Record<string, unknown>): boolean {
  if (filtersOnIdAlone(filter)) return true;
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== '_id' || typeof filter._id !== 'object' || filter._id === null) return false;
  const condition = filter._id as Record<string, unknown>;
  const in_ = condition.$in;
  return Object.keys(condition).length === 1 && Array.isArray(in_) && in_.every((id) => typeof id === 'string');
}
