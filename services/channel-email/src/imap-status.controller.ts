import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ImapPoller } from './imap-poller';

/**
 * `GET /health/imap`: the mailbox poller's state, 503 while it cannot poll. Apart from `/health` on
 * purpose: a provider's IMAP outage must not get the whole service restarted by its orchestrator.
 */
@Controller('health/imap')
export class ImapStatusController {
  constructor(private readonly poller: ImapPoller) {}

  @Get()
  status() {
    const status = this.poller.status();
    if (!status.ok) throw new ServiceUnavailableException(status);
    return status;
  }
}
