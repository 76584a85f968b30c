import { Collection, Connection } from 'mongoose';
import { AgentPresence, AgentProfileInput } from '@switchboard/contracts';

export interface AgentDocument {
  _id: string;
  profile: AgentProfileInput;
  presence: AgentPresence;
  /** Lease epoch of the last router that wrote here. */
  routingEpoch: number;
  updatedAt: Date;
}

/** Agents as routing knows them; written only by the router holding the assignment lease. */
export class AgentRepository {
  readonly agents: Collection<AgentDocument>;

  constructor(connection: Connection) {
    this.agents = connection.collection<AgentDocument>('agents');
  }

  async ensureIndexes(): Promise<void> {
    // `_id` is the agent id.
  }

  all(): Promise<AgentDocument[]> {
    return this.agents.find({}).sort({ _id: 1 }).toArray();
  }

  find(agentId: string): Promise<AgentDocument | null> {
    return this.agents.findOne({ _id: agentId });
  }

  /** Stores the profile, and the presence when it brings one (a new agent without one is offline). */
  async upsert(profile: AgentProfileInput, epoch: number, now: Date): Promise<void> {
    const { presence, ...rest } = profile;
    const existing = await this.find(profile.id);
    await this.agents.updateOne(
      { _id: profile.id },
      { $set: { profile: rest, routingEpoch: epoch, updatedAt: now, presence: presence ?? existing?.presence ?? 'offline' } },
      { upsert: true },
    );
  }

  async setPresence(agentId: string, presence: AgentPresence, epoch: number, now: Date): Promise<void> {
    await this.agents.updateOne({ _id: agentId }, { $set: { presence, routingEpoch: epoch, updatedAt: now } });
  }
}
