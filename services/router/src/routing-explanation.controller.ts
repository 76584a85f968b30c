import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { AssignmentRepository } from '@switchboard/persistence';

/** `GET /routing/tickets/:id/explanation`: where the ticket is, with whom, and every routing decision with its reasons. */
@Controller('routing/tickets')
export class RoutingExplanationController {
  constructor(private readonly assignments: AssignmentRepository) {}

  @Get(':id/explanation')
  async explanation(@Param('id') id: string) {
    const ticket = id.length <= 200 ? await this.assignments.find(id) : null;
    if (!ticket) throw new NotFoundException(`no ticket ${id}`);
    return {
      ticketId: ticket._id,
      number: ticket.number,
      status: ticket.status,
      queue: ticket.queue,
      priority: ticket.priority,
      assignment: ticket.assignment ?? null,
      queuePosition: ticket.queuePosition ?? null,
      expectedWaitSeconds: ticket.expectedWaitSeconds ?? null,
      reason: ticket.routing.reason ?? null,
      route: { filter: ticket.routing.filter, step: ticket.routing.step, explanation: ticket.routing.explanation },
      // SLA clocks paused while waiting for the customer: since when, and the earlier waits (the due times are later by them).
      slaPausedAt: ticket.slaPausedAt ?? null,
      slaPauses: ticket.slaPauses ?? [],
      decisions: ticket.routing.decisions ?? [],
    };
  }
}
