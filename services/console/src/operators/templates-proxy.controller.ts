import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Put } from '@nestjs/common';
import { z } from 'zod';
import { ZodBodyPipe } from '@switchboard/service-kit';
import { Principal } from '../access/principal';
import { ApiError } from '../api/api-error';
import { AuditLog } from '../audit/audit-log';
import { CurrentUser } from '../auth/principal.decorator';
import { LeastRole } from '../auth/roles.decorator';
import { CONSOLE_ENV, ConsoleEnv } from '../console.config';

export const templateBodySchema = z.object({ subject: z.string().max(300), text: z.string().max(5_000), sms: z.string().max(1_000) }).strict();
const segment = z.string().regex(/^[a-z_]{1,40}$/);

/** The notifier's template API behind the console's sign-in; edits carry the admin's email and are audited. */
@Controller('api/templates')
export class TemplatesProxyController {
  constructor(
    @Inject(CONSOLE_ENV) private readonly env: ConsoleEnv,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  @LeastRole('supervisor')
  list() {
    return this.call('GET', '/templates');
  }

  @Put(':kind/:language')
  @LeastRole('admin')
  async save(@CurrentUser() user: Principal, @Param('kind') kind: string, @Param('language') language: string, @Body(new ZodBodyPipe(templateBodySchema)) body: z.infer<typeof templateBodySchema>) {
    const path = this.path(kind, language);
    const saved = await this.call('PUT', path, { ...body, updatedBy: user.email });
    await this.audit.record(user, 'template.save', { target: `${kind}:${language}` });
    return saved;
  }

  @Delete(':kind/:language')
  @LeastRole('admin')
  @HttpCode(204)
  async reset(@CurrentUser() user: Principal, @Param('kind') kind: string, @Param('language') language: string): Promise<void> {
    await this.call('DELETE', this.path(kind, language));
    await this.audit.record(user, 'template.reset', { target: `${kind}:${language}` });
  }

  private path(kind: string, language: string): string {
    if (!segment.safeParse(kind).success || !segment.safeParse(language).success) throw new ApiError(404, 'not_found', 'no such template');
    return `/templates/${kind}/${language}`;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    if (!this.env.NOTIFIER_ADMIN_TOKEN) throw new ApiError(503, 'unavailable', 'template editing is off: set NOTIFIER_ADMIN_TOKEN on the console (and the notifier)');
    let response: Response;
    try {
      response = await fetch(new URL(path, this.env.NOTIFIER_URL), {
        method,
        headers: { authorization: `Bearer ${this.env.NOTIFIER_ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(5_000),
      });
    } catch (error) {
      throw new ApiError(502, 'upstream_failed', `the notifier did not answer: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.status === 204) return undefined;
    const payload = (await response.json().catch(() => ({}))) as { message?: string; problems?: unknown[] };
    if (response.ok) return payload;
    if (response.status === 422) throw new ApiError(422, 'validation_failed', payload.message ?? 'the template cannot be used as it is', (payload.problems ?? []).map((p) => (typeof p === 'string' ? { message: p } : p)));
    if (response.status === 404) throw new ApiError(404, 'not_found', payload.message ?? 'no such template');
    throw new ApiError(502, 'upstream_failed', `the notifier answered ${response.status}: ${payload.message ?? ''}`.trim());
  }
}
