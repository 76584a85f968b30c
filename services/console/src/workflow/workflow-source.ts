import { Injectable, OnModuleInit } from '@nestjs/common';
import { Connection } from 'mongoose';
import { Inject } from '@nestjs/common';
import { DEFAULT_WORKFLOW_YAML, parseWorkflow, Workflow } from '@switchboard/routing';
import { MONGO_CONNECTION } from '@switchboard/service-kit';

interface WorkflowRecord {
  _id: string;
  source: string;
  setBy: string;
  setAt: Date;
  commandId: string;
}

/**
 * The workflow the console shows and computes SLA clocks with: the last one an admin set through
 * the console (kept in `console_workflow`), else the built-in default. The router stores and applies
 * its own copy from the `workflow.set` command.
 */
@Injectable()
export class WorkflowSource implements OnModuleInit {
  private current: { source: string; workflow: Workflow; setBy?: string; setAt?: Date } = { source: DEFAULT_WORKFLOW_YAML, workflow: parseWorkflow(DEFAULT_WORKFLOW_YAML) };
  private readonly records;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.records = connection.collection<WorkflowRecord>('console_workflow');
  }

  async onModuleInit(): Promise<void> {
    await this.reload();
  }

  get workflow(): Workflow {
    return this.current.workflow;
  }

  async read(): Promise<{ source: string; setBy: string | null; setAt: string | null }> {
    await this.reload();
    return { source: this.current.source, setBy: this.current.setBy ?? null, setAt: this.current.setAt?.toISOString() ?? null };
  }

  async remember(source: string, setBy: string, commandId: string): Promise<void> {
    await this.records.replaceOne({ _id: 'current' }, { source, setBy, setAt: new Date(), commandId }, { upsert: true });
    await this.reload();
  }

  private async reload(): Promise<void> {
    const record = await this.records.findOne({ _id: 'current' });
    if (!record || record.source === this.current.source) return;
    try {
      this.current = { source: record.source, workflow: parseWorkflow(record.source), setBy: record.setBy, setAt: record.setAt };
    } catch {
      // Validated before it was stored; a record that no longer parses keeps the previous workflow.
    }
  }
}
