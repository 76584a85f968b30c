import { Collection, Connection } from 'mongoose';
import { isDuplicateKey } from './mongo-connection';

export type ConsoleRole = 'agent' | 'supervisor' | 'admin';

/** A person who signs in to the console. Owned by the console. */
export interface ConsoleUserDocument {
  _id: string;
  /** Lower-case; unique. */
  email: string;
  name: string;
  role: ConsoleRole;
  /** The routing agent this user works as (agents only). */
  agentId?: string;
  /** Queues whose waiting tickets an agent may see and take. */
  queues: string[];
  /** The presence this user last set through the console (agents only), and when. */
  presence?: 'available' | 'away' | 'offline';
  presenceAt?: Date;
  /** `scrypt$N$r$p$salt$hash`, base64 parts. */
  passwordHash: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One refresh token, stored by its SHA-256 only; used once (rotation), then marked. */
export interface ConsoleRefreshTokenDocument {
  _id: string;
  userId: string;
  /** The first token of the sign-in: reuse of a rotated token revokes the whole family. */
  family: string;
  expiresAt: Date;
  usedAt?: Date;
  revokedAt?: Date;
  createdAt: Date;
}

export class ConsoleUserRepository {
  readonly users: Collection<ConsoleUserDocument>;
  readonly refreshTokens: Collection<ConsoleRefreshTokenDocument>;

  constructor(connection: Connection) {
    this.users = connection.collection<ConsoleUserDocument>('console_users');
    this.refreshTokens = connection.collection<ConsoleRefreshTokenDocument>('console_refresh_tokens');
  }

  async ensureIndexes(): Promise<void> {
    await this.users.createIndex({ email: 1 }, { unique: true });
    await this.refreshTokens.createIndex({ family: 1 });
  }

  findByEmail(email: string): Promise<ConsoleUserDocument | null> {
    return this.users.findOne({ email: email.toLowerCase() });
  }

  find(id: string): Promise<ConsoleUserDocument | null> {
    return this.users.findOne({ _id: id });
  }

  list(): Promise<ConsoleUserDocument[]> {
    return this.users.find({}).sort({ email: 1 }).toArray();
  }

  /** Inserts the user unless one with that id or email exists; true when inserted. */
  async insertIfAbsent(user: ConsoleUserDocument): Promise<boolean> {
    try {
      await this.users.insertOne(user);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async upsert(user: ConsoleUserDocument): Promise<void> {
    await this.users.replaceOne({ _id: user._id }, user, { upsert: true });
  }

  async setPresence(userId: string, presence: 'available' | 'away' | 'offline', at: Date): Promise<void> {
    await this.users.updateOne({ _id: userId }, { $set: { presence, presenceAt: at } });
  }

  async addRefreshToken(token: ConsoleRefreshTokenDocument): Promise<void> {
    await this.refreshTokens.insertOne(token);
  }

  findRefreshToken(hash: string): Promise<ConsoleRefreshTokenDocument | null> {
    return this.refreshTokens.findOne({ _id: hash });
  }

  /**
   * Marks the token used; false when it already was. FerretDB does not make a conditional update
   * atomic, so two concurrent refreshes with one token may both pass: the family revocation on
   * reuse is the defence that matters.
   */
  async markUsed(hash: string, at: Date): Promise<boolean> {
    const result = await this.refreshTokens.updateOne({ _id: hash, usedAt: { $exists: false }, revokedAt: { $exists: false } }, { $set: { usedAt: at } });
    return result.modifiedCount === 1;
  }

  async revokeFamily(family: string, at: Date): Promise<void> {
    await this.refreshTokens.updateMany({ family, revokedAt: { $exists: false } }, { $set: { revokedAt: at } });
  }

  /** Every sign-in of the user ends at its next refresh (a new password must lock out whoever knew the old one). */
  async revokeSessionsOf(userId: string, at: Date): Promise<void> {
    await this.refreshTokens.updateMany({ userId, revokedAt: { $exists: false } }, { $set: { revokedAt: at } });
  }

  async setPasswordHash(userId: string, passwordHash: string, at: Date): Promise<void> {
    await this.users.updateOne({ _id: userId }, { $set: { passwordHash, updatedAt: at } });
  }
}
