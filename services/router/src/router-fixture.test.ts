// What the router's specs start from: a database of their own on the shared MongoDB-wire server
// with the router's repositories, and the stored tickets and agents they route.
// Named `.test.ts` so the build leaves it out and jest (which runs `*.spec.ts`) does not take it for a suite.
import { Connection } from 'mongoose';
import { AgentDocument, AgentRepository, AssignmentInboxRepository, AssignmentRepository, openMongo, RouterLeaseRepository, TicketDocument, TicketRepository } from '@switchboard/persistence';
import { DEFAULT_WORKFLOW_YAML, parseWorkflow } from '@switchboard/routing';
import { testInfra, uniqueName } from '@switchboard/testing';

export const defaultWorkflow = parseWorkflow(DEFAULT_WORKFLOW_YAML);

export interface RouterStore {
  connection: Connection;
  tickets: TicketRepository;
  assignments: AssignmentRepository;
  agents: AgentRepository;
  leases: RouterLeaseRepository;
  inbox: AssignmentInboxRepository;
}

/**
 * The router's repositories over a fresh database (indexes made), opened before the spec's tests
 * and dropped after them. Its fields are set in `beforeAll`: read them inside tests and hooks.
 */
export function useRouterStore(label: string): RouterStore {
  const infra = testInfra();
  const store = {} as RouterStore;
  beforeAll(async () => {
    const connection = await openMongo({ url: infra.mongoUrl, dbName: uniqueName(label).replace(/-/g, '_') });
    Object.assign(store, {
      connection,
      tickets: new TicketRepository(connection),
      assignments: new AssignmentRepository(connection),
      agents: new AgentRepository(connection),
      leases: new RouterLeaseRepository(connection),
      inbox: new AssignmentInboxRepository(connection),
    });
    await Promise.all([store.tickets.ensureIndexes(), store.assignments.ensureIndexes(), store.inbox.ensureIndexes()]);
  });
  afterAll(async () => {
    await store.connection?.dropDatabase();
    await store.connection?.close();
  });
  return store;
}

/** A refund ticket in Indonesian on in-app, open in `refunds` as the default workflow routes it, since `at`. */
export function refundTicket(id: string, number: number, at: Date, change: Partial<TicketDocument> = {}): TicketDocument {
  return {
    _id: id,
    number,
    status: 'open',
    category: 'refund',
    confidence: 0.9,
    triage: false,
    queue: 'refunds',
    priority: 40,
    language: 'id',
    urgency: [],
    channel: 'inapp',
    contact: { channel: 'inapp', address: `u${number}` },
    contactKey: `inapp::u${number}`,
    routing: { filter: 'refund', step: 0, explanation: [], decidedAt: at },
    openedAt: at,
    lastMessageAt: at,
    updatedAt: at,
    ...change,
  };
}

/** An agent of the refunds queue who speaks Indonesian, at level 2. */
export function refundsAgent(id: string, presence: AgentDocument['presence'], at: Date, skills = ['refunds']): AgentDocument {
  return { _id: id, profile: { id, skills, languages: ['id'], teams: [], level: 2 }, presence, routingEpoch: 1, updatedAt: at };
}
