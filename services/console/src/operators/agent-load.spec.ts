import { DEFAULT_WORKFLOW_YAML, parseWorkflow } from '@switchboard/routing';
import { AgentRecord, agentRows, withConsolePresence } from './agent-load';

const workflow = parseWorkflow(DEFAULT_WORKFLOW_YAML);
const agent = (id: string, over: Partial<AgentRecord> = {}): AgentRecord => ({ _id: id, profile: { id, skills: ['payments'], languages: ['en'], teams: [], level: 1 }, presence: 'offline', updatedAt: new Date('2026-01-01T10:00:00Z'), ...over });

describe('agentRows', () => {
  it('counts held tickets and offers per kind against capacity (profile over workflow default)', () => {
    const rows = agentRows(
      [agent('putri', { profile: { id: 'putri', skills: [], languages: [], teams: [], level: 0, capacity: { sms: 2 } } }), agent('bo')],
      [
        { channel: 'sms', assigneeId: 'putri', assignment: { agentId: 'putri', state: 'assigned' } },
        { channel: 'inapp', assignment: { agentId: 'putri', state: 'offered' } },
        { channel: 'email' },
      ],
      workflow,
    );
    expect(rows[0]).toMatchObject({ id: 'putri', load: { sms: 1, chat: 1, email: 0, social: 0 }, capacity: { sms: 2, chat: 3, email: 8, social: 5 }, offers: 1 });
    expect(rows[1]).toMatchObject({ id: 'bo', load: { sms: 0, chat: 0, email: 0, social: 0 }, offers: 0 });
  });
});

describe('withConsolePresence', () => {
  it('takes the presence an agent set in the console when it is newer than what the router stored', () => {
    const users = [{ agentId: 'putri', presence: 'available' as const, presenceAt: new Date('2026-01-01T11:00:00Z') }];
    expect(withConsolePresence([agent('putri')], users)[0].presence).toBe('available');
    expect(withConsolePresence([agent('putri', { presence: 'away', updatedAt: new Date('2026-01-01T12:00:00Z') })], users)[0].presence).toBe('away');
    expect(withConsolePresence([agent('bo')], users)[0].presence).toBe('offline');
  });
});
