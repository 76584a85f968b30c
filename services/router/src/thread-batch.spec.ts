import { ClassifiedMessage } from '@switchboard/contracts';
import { TicketDocument } from '@switchboard/persistence';
import { classifiedMessage } from './classified-message.test';
import { groupsOf, planGroup, ResolvedMessage, resolveInOrder } from './thread-batch';

let n = 0;
function message(contactKey: string, phone?: string, extra: Partial<ClassifiedMessage['inbound']> = {}): ClassifiedMessage {
  const eventId = `m${++n}`;
  return classifiedMessage({
    eventId,
    address: contactKey,
    phone,
    text: 'where is my refund',
    receivedAt: new Date(Date.UTC(2026, 10, 24, 8, 0, n)).toISOString(),
    inbound: { contactKey, providerMessageId: eventId, ...extra },
  });
}

const now = new Date('2026-11-24T09:00:00Z');
const options = { reopenWindowMs: 3600_000, surveyWindowMs: 3600_000 };

function ticket(id: string, personId: string, status: TicketDocument['status'], at = now): TicketDocument {
  return { _id: id, number: 1, status, personId, contactKey: 'k', lastMessageAt: at, updatedAt: at } as TicketDocument;
}

function opener(message: ResolvedMessage): TicketDocument {
  return ticket(`t-${message.classified.inbound.eventId}`, message.person.personId, 'open', new Date(message.classified.inbound.receivedAt));
}

describe('resolveInOrder and groupsOf', () => {
  it('links a later message to an address an earlier one in the batch stored, and groups them', () => {
    const book = { contacts: new Map(), identities: new Map() };
    const resolved = resolveInOrder([message('sms:a', '+62811'), message('inapp:b'), message('social:a', '+62811')], book);
    expect(resolved[2].person.personId).toBe(resolved[0].person.personId);
    expect(resolved[1].person.personId).not.toBe(resolved[0].person.personId);
    expect(resolved[2].person.merged).toEqual([]);
    expect(groupsOf(resolved.map((r) => r.ties))).toEqual([[0, 2], [1]]);
    expect(book.identities.get('phone:+62811')).toEqual(['sms:a', 'social:a']);
  });

  it('sees a merge when a verified identity ties two known people', () => {
    const book = { contacts: new Map(), identities: new Map() };
    const [, , verified] = resolveInOrder([message('sms:c', '+62812'), message('inapp:d'), message('inapp:d', '+62812')], book);
    expect(verified.person.merged).toHaveLength(1);
  });
});

describe('planGroup', () => {
  it('opens a ticket for the first message and threads the next ones onto it, moving its last message on', () => {
    const resolved = resolveInOrder([message('inapp:e'), message('inapp:e')], { contacts: new Map(), identities: new Map() });
    const plans = planGroup(resolved, new Map(), opener, options, now);
    expect(plans).toEqual([
      { kind: 'open', ticketId: `t-${resolved[0].classified.inbound.eventId}`, personId: resolved[0].person.personId },
      { kind: 'follow-up', ticketId: `t-${resolved[0].classified.inbound.eventId}`, lastMessageAt: new Date(resolved[1].classified.inbound.receivedAt) },
    ]);
  });

  it('threads onto the open ticket read for the person, its last message the later of the two', () => {
    const [one] = resolveInOrder([message('inapp:f')], { contacts: new Map(), identities: new Map() });
    const open = ticket('open-1', one.person.personId, 'assigned', new Date('2026-11-24T07:00:00Z'));
    expect(planGroup([one], new Map([[one.person.personId, [open]]]), opener, options, now)).toEqual([{ kind: 'follow-up', ticketId: 'open-1', lastMessageAt: new Date(one.classified.inbound.receivedAt) }]);
    const newer = ticket('open-2', one.person.personId, 'open', new Date('2026-11-24T08:59:00Z'));
    expect(planGroup([one], new Map([[one.person.personId, [newer]]]), opener, options, now)).toEqual([{ kind: 'follow-up', ticketId: 'open-2', lastMessageAt: newer.lastMessageAt }]);
  });

  it('leaves to the one-message path a pending ticket, a survey answer, a reply naming a resolved ticket and a merge', () => {
    const fresh = () => ({ contacts: new Map(), identities: new Map() });
    const [pending] = resolveInOrder([message('inapp:g')], fresh());
    expect(planGroup([pending], new Map([[pending.person.personId, [ticket('p', pending.person.personId, 'pending')]]]), opener, options, now)).toBeNull();
    const [rating] = resolveInOrder([message('inapp:h', undefined, { text: '5' })], fresh());
    expect(planGroup([rating], new Map([[rating.person.personId, [ticket('r', rating.person.personId, 'resolved')]]]), opener, options, now)).toBeNull();
    const [reply] = resolveInOrder([message('inapp:i', undefined, { thread: { ticketToken: 'SB-1' } })], fresh());
    expect(planGroup([reply], new Map([[reply.person.personId, [ticket('s', reply.person.personId, 'resolved')]]]), opener, options, now)).toBeNull();
    const merging = resolveInOrder([message('sms:j', '+62813'), message('inapp:k'), message('inapp:k', '+62813')], fresh());
    expect(planGroup(merging, new Map(), opener, options, now)).toBeNull();
  });

  it('opens a new ticket for a rating from a person with no recently resolved ticket', () => {
    const [rating] = resolveInOrder([message('inapp:l', undefined, { text: '5' })], { contacts: new Map(), identities: new Map() });
    expect(planGroup([rating], new Map(), opener, options, now)?.[0].kind).toBe('open');
  });
});
