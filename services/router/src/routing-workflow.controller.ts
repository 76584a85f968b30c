import { BadRequestException, Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { RoutingWorkflowRepository } from '@switchboard/persistence';
import { WorkflowStore } from './workflow-store';

/** The routing workflow in use and its history; changes come as `workflow.set` commands on Kafka. Any instance answers. */
@Controller('routing/workflow')
export class RoutingWorkflowController {
  constructor(
    private readonly store: WorkflowStore,
    private readonly repository: RoutingWorkflowRepository,
  ) {}

  /** The newest version (from MongoDB, not this instance's copy, so every instance answers the same). */
  @Get()
  async current() {
    const stored = await this.repository.current();
    if (!stored) throw new NotFoundException('no routing workflow stored yet');
    return { version: stored._id, source: stored.source, author: stored.author, at: stored.at, origin: stored.origin, inUseHere: this.store.current.version };
  }

  @Get('versions')
  async versions() {
    const [versions, rejected] = await Promise.all([this.repository.list(100), this.repository.listRejections(50)]);
    return {
      current: versions[0]?._id ?? null,
      versions: versions.map((v) => ({ version: v._id, author: v.author, at: v.at, origin: v.origin, ...(v.commandId ? { commandId: v.commandId } : {}) })),
      rejected: rejected.map((r) => ({ commandId: r._id, author: r.author, at: r.at, errors: r.errors })),
    };
  }

  @Get('versions/:version')
  async version(@Param('version') text: string) {
    const version = Number(text);
    if (!Number.isInteger(version) || version < 1) throw new BadRequestException('a version is a whole number from 1');
    const stored = await this.repository.find(version);
    if (!stored) throw new NotFoundException(`no routing workflow version ${version}`);
    return { version: stored._id, source: stored.source, author: stored.author, at: stored.at, origin: stored.origin };
  }
}
