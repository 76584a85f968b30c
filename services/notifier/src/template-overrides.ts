import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { TemplateRepository } from '@switchboard/persistence';
import { MESSAGE_KINDS, MessageKind, ReplyLanguage, TemplateOverrides } from '@switchboard/templates';

/**
 * The operators' templates, kept in memory and re-read every few seconds, so an edit made through
 * any notifier instance reaches all of them without a redeploy and sending never waits on a query.
 */
@Injectable()
export class TemplateOverridesCache implements OnModuleInit, OnModuleDestroy {
  private overrides: TemplateOverrides = {};
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly templates: TemplateRepository,
    private readonly logger: PinoLogger,
    private readonly refreshMs: number,
  ) {}

  current(): TemplateOverrides {
    return this.overrides;
  }

  async onModuleInit(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch((error: unknown) => this.logger.warn({ error: String(error) }, 'could not re-read templates; keeping the last ones')), this.refreshMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async refresh(): Promise<void> {
    const next: TemplateOverrides = {};
    for (const t of await this.templates.all()) {
      if (!(MESSAGE_KINDS as readonly string[]).includes(t.kind)) continue;
      const kind = t.kind as MessageKind;
      (next[kind] ??= {})[t.language as ReplyLanguage] = { subject: t.subject, text: t.text, sms: t.sms };
    }
    this.overrides = next;
  }
}
