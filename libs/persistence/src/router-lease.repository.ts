import { Collection, Connection } from 'mongoose';
import { isDuplicateKey } from './mongo-connection';

export interface RouterLeaseDocument {
  /** `<name>:<epoch>`: one document per term, so taking a term is an insert the unique `_id` arbitrates. */
  _id: string;
  name: string;
  epoch: number;
  holder: string;
  expiresAt: Date;
  acquiredAt: Date;
}

/** A lease this instance holds, until `expiresAt` unless renewed. */
export interface HeldLease {
  name: string;
  holder: string;
  epoch: number;
  expiresAt: Date;
}

/**
 * The assignment lease, as numbered terms. A conditional update is no arbiter here: FerretDB v1
 * runs an update as read-then-write, so two contenders can both "match" an expired lease (the
 * router's spec shows it). An insert under a unique `_id` is: the next term `<name>:<epoch+1>` can
 * only be inserted once, and only after the current term expired. Only the holder writes its own
 * term (renewals), so those updates never race.
 */
export class RouterLeaseRepository {
  readonly leases: Collection<RouterLeaseDocument>;

  constructor(connection: Connection) {
    this.leases = connection.collection<RouterLeaseDocument>('router_leases');
  }

  async ensureIndexes(): Promise<void> {
    await this.leases.createIndex({ name: 1, epoch: -1 });
  }

  /** The latest term, held or expired. */
  async current(name: string): Promise<RouterLeaseDocument | null> {
    return (await this.leases.find({ name }).sort({ epoch: -1 }).limit(1).toArray())[0] ?? null;
  }

  /** Starts the next term when the current one expired (or there is none); null when somebody holds it or won the race. */
  async tryAcquire(name: string, holder: string, ttlMs: number, now: Date): Promise<HeldLease | null> {
    const current = await this.current(name);
    if (current && current.expiresAt.getTime() >= now.getTime()) return null;
    const epoch = (current?.epoch ?? 0) + 1;
    const expiresAt = new Date(now.getTime() + ttlMs);
    try {
      await this.leases.insertOne({ _id: `${name}:${epoch}`, name, epoch, holder, expiresAt, acquiredAt: now });
      return { name, holder, epoch, expiresAt };
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  /** Extends the term while it is unexpired and still the latest; null when it was lost. */
  async renew(lease: HeldLease, ttlMs: number, now: Date): Promise<HeldLease | null> {
    if (lease.expiresAt.getTime() <= now.getTime()) return null;
    const expiresAt = new Date(now.getTime() + ttlMs);
    await this.leases.updateOne({ _id: `${lease.name}:${lease.epoch}`, holder: lease.holder }, { $set: { expiresAt } });
    const current = await this.current(lease.name);
    return current?.epoch === lease.epoch && current.holder === lease.holder ? { ...lease, expiresAt } : null;
  }

  /** Retention: terms that ended before `before`, never the latest. */
  async deleteEndedBefore(name: string, before: Date): Promise<number> {
    const current = await this.current(name);
    if (!current) return 0;
    return (await this.leases.deleteMany({ name, epoch: { $lt: current.epoch }, expiresAt: { $lt: before } })).deletedCount;
  }

  /** Lets the next instance take over at once (graceful shutdown). */
  async release(lease: HeldLease): Promise<void> {
    await this.leases.updateOne({ _id: `${lease.name}:${lease.epoch}`, holder: lease.holder }, { $set: { expiresAt: new Date(0) } });
  }
}
