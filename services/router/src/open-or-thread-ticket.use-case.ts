import { ClassifiedMessage, deterministicId, InboundMessage, SurveyAnswer, ticketNumberOfToken, TicketEvent } from '@switchboard/contracts';
import { AssignmentInboxRepository, ContactRepository, ResolvedPerson, TicketDocument, TicketMessageDocument, TicketRepository, verifiedKeysOf } from '@switchboard/persistence';
import { selectTarget, Workflow } from '@switchboard/routing';
import { parseSurveyAnswer, ParsedSurveyAnswer } from '@switchboard/templates';
import { KeyLocks } from './key-locks';
import { choosePersonTicket } from './person-tickets';
import { ticketEvent } from './ticket-event';

/** How a message joined its ticket. */
export type ThreadingType = 'ticket.opened' | 'ticket.message_added' | 'ticket.reopened' | 'ticket.survey_answered';

export interface ThreadingOptions {
  /** How long after resolution a reply carrying the ticket's token reopens it instead of opening a new one. */
  reopenWindowMs: number;
  /** How long after resolution a rating ("5", "4 puas") is taken as the answer to the survey sent with it. */
  surveyWindowMs?: number;
}

const DEFAULT_OPTIONS: ThreadingOptions = { reopenWindowMs: 7 * 24 * 3600 * 1000, surveyWindowMs: 72 * 3600 * 1000 };

interface ThreadTarget {
  ticket: TicketDocument;
  type: ThreadingType;
  survey?: ParsedSurveyAnswer;
}

/**
 * Threads a classified message onto a ticket of the same person, or opens a routed one.
 *
 * Where it threads, in order: the ticket named by the message's token (email subject, plus-address,
 * reply to our Message-ID) when that ticket is the same person's, reopening it if it was resolved
 * recently; else the person's latest unresolved ticket on any of their linked addresses; else a new one.
 * The candidates are the tickets the person's document lists (`TicketRepository.ticketsOfPerson`),
 * each read by `_id`: every query of this path is by `_id` but on a merge of two known people.
 *
 * A rating ("5", "4 puas", "5 满意") from a person whose ticket was resolved recently, and who
 * has no open one, answers that ticket's survey: it is recorded (the first answer counts) and the
 * ticket stays resolved. A message on a pending ticket makes it active again.
 *
 * Every write is keyed by the message's event id (message `_id`, ticket id derived from it), so
 * running this again for the same message - after a crash, a rebalance, a redelivery - finds what
 * the first run stored and returns the same event instead of creating anything twice.
 */
export class OpenOrThreadTicketUseCase {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly contacts: ContactRepository,
    /** The workflow, or how to get the one in use now (it can change while the router runs). */
    private readonly workflow: Workflow | (() => Workflow),
    private readonly options: ThreadingOptions = DEFAULT_OPTIONS,
    private readonly locks = new KeyLocks(),
    /** Where the lease holder hears that a ticket waiting for the customer is active again (its SLA clocks run on). */
    private readonly inbox?: Pick<AssignmentInboxRepository, 'add'>,
  ) {}

  async execute(classified: ClassifiedMessage, now: Date): Promise<TicketEvent> {
    return this.run(classified, now, true);
  }

  /** `execute` for a caller already holding the message's keys (the batch path, see thread-batch.use-case.ts). */
  executeHeld(classified: ClassifiedMessage, now: Date): Promise<TicketEvent> {
    return this.run(classified, now, false);
  }

  private async run(classified: ClassifiedMessage, now: Date, lock: boolean): Promise<TicketEvent> {
    const { inbound } = classified;
    const openerId = deterministicId('ticket', inbound.eventId);

    // Read together: the message stored by an earlier run (a redelivery), or the ticket an earlier run opened for it before a crash.
    const [stored, opener] = await Promise.all([this.tickets.findMessage(inbound.eventId), this.tickets.findTicket(openerId)]);
    if (stored) {
      const ticket = await this.tickets.findTicket(stored.ticketId);
      if (!ticket) throw new Error(`message ${inbound.eventId} refers to missing ticket ${stored.ticketId}`);
      const threading = stored.threading ?? (ticket._id === openerId ? 'ticket.opened' : 'ticket.message_added');
      // The first run stored the message and listed its new ticket side by side: it may have died between the two.
      if (ticket._id === openerId && ticket.personId) await this.tickets.rememberTickets(ticket.personId, [{ id: ticket._id, number: ticket.number }]);
      // Or between storing it and ending the wait for the customer it answers (a wait begun after it was stored is another one).
      const current = threading === 'ticket.message_added' ? await this.resumeIfAnswered(ticket, stored.storedAt, new Date(inbound.receivedAt), inbound.eventId, now) : ticket;
      return ticketEvent(threading, current, inbound, now, classified.classification.entities, threading === 'ticket.survey_answered' ? surveyOf(ticket) : undefined);
    }

    // Messages of different partitions are handled side by side. The address and the identities it
    // proves, then the people it resolves to, are held until the message is done: a person's
    // messages on linked addresses thread one after the other, as with one partition at a time.
    if (!lock) return this.threadOrOpen(classified, await this.contacts.resolve(inbound.contactKey, inbound.contact, inbound.identities, new Date(inbound.receivedAt)), opener, now);
    const releaseAddress = await this.locks.hold([`address:${inbound.contactKey}`, ...verifiedKeysOf(inbound.identities).map((key) => `identity:${key}`)]);
    try {
      const person = await this.contacts.resolve(inbound.contactKey, inbound.contact, inbound.identities, new Date(inbound.receivedAt));
      const releasePeople = await this.locks.hold([person.personId, ...person.merged].map((id) => `person:${id}`));
      try {
        return await this.threadOrOpen(classified, person, opener, now);
      } finally {
        releasePeople();
      }
    } finally {
      releaseAddress();
    }
  }

  private async threadOrOpen(classified: ClassifiedMessage, person: ResolvedPerson, opener: TicketDocument | null, now: Date): Promise<TicketEvent> {
    const { inbound } = classified;
    const openerId = deterministicId('ticket', inbound.eventId);
    const receivedAt = new Date(inbound.receivedAt);
    await this.tickets.movePeople(person.merged, person.personId);

    // A run that crashed after opening this message's ticket left the opener: finish that run.
    const target = opener ? null : await this.threadTarget(inbound, person.personId, now);
    const ticket = opener ?? target?.ticket ?? (await this.openTicket(openerId, person.personId, person.preferredLanguage, classified, now));
    const type: ThreadingType = target?.type ?? (ticket._id === openerId ? 'ticket.opened' : 'ticket.message_added');
    const stored = this.tickets.insertMessage(storedMessage(classified, ticket._id, type, now));
    const { entities } = classified.classification;
    // Side by side with storing the message, where a redelivery (which finds the message stored)
    // does the same again: listing a new ticket (see above) and the follow-up's touch of its ticket.
    if (type === 'ticket.opened') {
      await Promise.all([stored, this.tickets.rememberTickets(person.personId, [{ id: ticket._id, number: ticket.number }])]);
      return ticketEvent(type, ticket, inbound, now, entities);
    }
    if (type !== 'ticket.survey_answered') {
      const [, touched] = await Promise.all([stored, this.touch(ticket, receivedAt, inbound.eventId, now)]);
      return ticketEvent(type, touched, inbound, now, entities);
    }
    await stored;
    if (target?.survey) {
      const { score, comment } = target.survey;
      const answered = (await this.tickets.recordSurvey(ticket._id, { score, messageId: inbound.eventId, ...(comment ? { comment } : {}), answeredAt: receivedAt })) ?? ticket;
      return ticketEvent(type, answered, inbound, now, entities, surveyOf(answered));
    }
    return ticketEvent(type, ticket, inbound, now, entities);
  }

  /** A message on a ticket: a pending one is active again, and it has a new last message. */
  private async touch(ticket: TicketDocument, receivedAt: Date, messageId: string, now: Date): Promise<TicketDocument> {
    const touched = (await this.tickets.touchTicket(ticket._id, receivedAt)) ?? ticket;
    // `slaPausedAt` too: a routing decision (an agent going offline) can have set a pending ticket's status back to open.
    if (touched.status !== 'pending' && !touched.slaPausedAt) return touched;
    return this.resume(touched, receivedAt, messageId, now);
  }

  /** On a redelivery: the message's run may have died before ending the wait it answers. */
  private async resumeIfAnswered(ticket: TicketDocument, storedAt: Date, receivedAt: Date, messageId: string, now: Date): Promise<TicketDocument> {
    if (ticket.slaPausedAt && new Date(ticket.slaPausedAt) <= new Date(storedAt)) return this.resume(ticket, receivedAt, messageId, now);
    // Ended already, maybe without the lease holder told: told again (the same inbox item, stored once).
    if (ticket.slaPauses?.length) await this.inbox?.add(`status:${messageId}`, { kind: 'status', ticketId: ticket._id }, now);
    return ticket;
  }

  private async resume(ticket: TicketDocument, receivedAt: Date, messageId: string, now: Date): Promise<TicketDocument> {
    // The clocks run again from when the customer wrote (never from the future).
    const wroteAt = new Date(Math.min(receivedAt.getTime(), now.getTime()));
    // Last, so that no write of this message follows the one that makes the ticket active again:
    // FerretDB runs an update as read-then-write, and a touch still under way could put back a
    // status the lease holder wrote meanwhile (an agent resolving it at once, as the e2e test does).
    await this.tickets.reactivate(ticket, wroteAt);
    // After the write, so that the lease holder reads the ticket active when it gets to the item.
    await this.inbox?.add(`status:${messageId}`, { kind: 'status', ticketId: ticket._id }, now);
    const status = ticket.status === 'pending' ? (ticket.assigneeId ? 'assigned' : 'open') : ticket.status;
    return { ...ticket, status, updatedAt: now, slaPausedAt: undefined };
  }

  private async threadTarget(inbound: InboundMessage, personId: string, now: Date): Promise<ThreadTarget | null> {
    const rating = inbound.autoSubmitted ? null : parseSurveyAnswer(inbound.text);
    const number = ticketNumberOfToken(inbound.thread?.ticketToken);
    // The person's tickets by `_id`, one read for all three questions below.
    const forgetBefore = new Date(now.getTime() - Math.max(this.options.reopenWindowMs, this.surveyWindowMs));
    const { named, open, resolved, forget } = choosePersonTicket(await this.tickets.ticketsOfPerson(personId), number, new Date(now.getTime() - this.surveyWindowMs), forgetBefore);
    await this.tickets.forgetTickets(personId, forget);
    // A token is only a hint anyone can type: it threads only onto the same person's ticket.
    if (named && (named.personId === personId || named.contactKey === inbound.contactKey)) {
      if (named.status !== 'resolved') return { ticket: named, type: 'ticket.message_added' };
      const answer = rating ? this.surveyAnswer(named, rating, now) : null;
      if (answer) return answer;
      if (now.getTime() - new Date(named.updatedAt).getTime() <= this.options.reopenWindowMs) {
        const reopened = await this.tickets.reopenTicket(named._id, new Date(inbound.receivedAt));
        if (reopened) return { ticket: reopened, type: 'ticket.reopened' };
      }
    }
    if (open) return { ticket: open, type: 'ticket.message_added' };
    if (!rating) return null;
    return resolved ? this.surveyAnswer(resolved, rating, now) : null;
  }

  /** A rating on a recently resolved ticket: its survey answer, or (answered already) just a message kept on it. */
  private surveyAnswer(ticket: TicketDocument, rating: ParsedSurveyAnswer, now: Date): ThreadTarget | null {
    if (now.getTime() - new Date(ticket.updatedAt).getTime() > this.surveyWindowMs) return null;
    if (ticket.survey) return { ticket, type: 'ticket.message_added' };
    return { ticket, type: 'ticket.survey_answered', survey: rating };
  }

  private get surveyWindowMs(): number {
    return this.options.surveyWindowMs ?? DEFAULT_OPTIONS.surveyWindowMs ?? 0;
  }

  private openTicket(id: string, personId: string, preferredLanguage: TicketDocument['preferredLanguage'], classified: ClassifiedMessage, now: Date): Promise<TicketDocument> {
    const workflow = typeof this.workflow === 'function' ? this.workflow() : this.workflow;
    return this.tickets.insertNewTicket(newTicket(workflow, id, personId, preferredLanguage, classified, now));
  }
}

/** The ticket a message opens, routed by the workflow, given its number. */
export function newTicket(workflow: Workflow, id: string, personId: string, preferredLanguage: TicketDocument['preferredLanguage'], classified: ClassifiedMessage, now: Date): (number: number) => TicketDocument {
  const { inbound, classification } = classified;
  const decision = selectTarget(workflow, {
    category: classification.category,
    confidence: classification.confidence,
    triage: classified.triage,
    language: classification.language,
    channel: inbound.channel,
    urgency: classification.urgency,
  });
  return (number) => ({
    _id: id,
    number,
    status: 'open',
    category: classification.category,
    confidence: classification.confidence,
    triage: classified.triage,
    queue: decision.queue,
    priority: decision.priority,
    language: classification.language,
    urgency: classification.urgency,
    channel: inbound.channel,
    contact: inbound.contact,
    contactKey: inbound.contactKey,
    personId,
    ...(preferredLanguage ? { preferredLanguage } : {}),
    routing: { filter: decision.filter, step: decision.step, explanation: decision.explanation, decidedAt: now },
    openedAt: new Date(inbound.receivedAt),
    lastMessageAt: new Date(inbound.receivedAt),
    updatedAt: now,
  });
}

/** The inbound message as stored on its ticket. */
export function storedMessage(classified: ClassifiedMessage, ticketId: string, threading: ThreadingType, now: Date): TicketMessageDocument {
  const { inbound } = classified;
  return {
    _id: inbound.eventId,
    ticketId,
    threading,
    direction: 'inbound',
    channel: inbound.channel,
    provider: inbound.provider,
    providerMessageId: inbound.providerMessageId,
    contactKey: inbound.contactKey,
    text: inbound.text,
    subject: inbound.subject,
    autoSubmitted: inbound.autoSubmitted,
    ...(inbound.attachments.length > 0 ? { attachments: inbound.attachments } : {}),
    receivedAt: new Date(inbound.receivedAt),
    classification: classified.classification,
    storedAt: now,
  };
}

function surveyOf(ticket: TicketDocument): SurveyAnswer | undefined {
  if (!ticket.survey) return undefined;
  const { score, messageId, comment } = ticket.survey;
  return { score, messageId, ...(comment ? { comment } : {}) };
}
