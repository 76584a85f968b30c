import { Body, Controller, Delete, ForbiddenException, Get, Headers, HttpCode, Inject, NotFoundException, Param, Put, UnprocessableEntityException } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { TemplateRepository } from '@switchboard/persistence';
import { ZodBodyPipe } from '@switchboard/service-kit';
import { DEFAULT_TEMPLATES, MESSAGE_KINDS, MessageKind, ReplyLanguage, TEMPLATE_VARIABLES, validateTemplate } from '@switchboard/templates';
import { NOTIFIER_ENV, NotifierEnv } from './notifier.config';
import { TemplateOverridesCache } from './template-overrides';

const LANGUAGES = ['en', 'id', 'zh'] as const;
const templateBodySchema = z
  .object({ subject: z.string().max(300), text: z.string().max(5_000), sms: z.string().max(1_000), updatedBy: z.string().min(1).max(100) })
  .strict();

/**
 * Operators edit what customers are told without a redeploy: `GET /templates` lists every kind and
 * language with its variables, default and override; `PUT` validates (variables, braces, SMS
 * length) and saves; `DELETE` goes back to the default. Bearer NOTIFIER_ADMIN_TOKEN.
 */
@Controller('templates')
export class TemplatesController {
  constructor(
    private readonly templates: TemplateRepository,
    private readonly cache: TemplateOverridesCache,
    @Inject(NOTIFIER_ENV) private readonly env: NotifierEnv,
  ) {}

  @Get()
  async list(@Headers('authorization') authorization?: string) {
    this.authorize(authorization);
    const overrides = new Map((await this.templates.all()).map((t) => [t._id, t]));
    return {
      templates: MESSAGE_KINDS.flatMap((kind) =>
        LANGUAGES.map((language) => {
          const override = overrides.get(`${kind}:${language}`);
          return {
            kind,
            language,
            variables: TEMPLATE_VARIABLES[kind],
            default: DEFAULT_TEMPLATES[kind][language],
            ...(override ? { override: { subject: override.subject, text: override.text, sms: override.sms, updatedAt: override.updatedAt, updatedBy: override.updatedBy } } : {}),
          };
        }),
      ),
    };
  }

  @Put(':kind/:language')
  async save(
    @Param('kind') kind: string,
    @Param('language') language: string,
    @Body(new ZodBodyPipe(templateBodySchema)) body: z.infer<typeof templateBodySchema>,
    @Headers('authorization') authorization?: string,
  ) {
    this.authorize(authorization);
    const [k, lang] = this.target(kind, language);
    const problems = validateTemplate(k, { subject: body.subject, text: body.text, sms: body.sms });
    if (problems.length > 0) throw new UnprocessableEntityException({ statusCode: 422, message: 'the template cannot be used as it is', problems });
    const saved = await this.templates.save({ kind: k, language: lang, subject: body.subject, text: body.text, sms: body.sms, updatedBy: body.updatedBy, updatedAt: new Date() });
    await this.cache.refresh();
    return saved;
  }

  @Delete(':kind/:language')
  @HttpCode(204)
  async reset(@Param('kind') kind: string, @Param('language') language: string, @Headers('authorization') authorization?: string): Promise<void> {
    this.authorize(authorization);
    const [k, lang] = this.target(kind, language);
    if (!(await this.templates.remove(k, lang))) throw new NotFoundException(`${k} in ${lang} already uses the default`);
    await this.cache.refresh();
  }

  private target(kind: string, language: string): [MessageKind, ReplyLanguage] {
    if (!(MESSAGE_KINDS as readonly string[]).includes(kind)) throw new NotFoundException(`no message kind '${kind}'; kinds: ${MESSAGE_KINDS.join(', ')}`);
    if (!(LANGUAGES as readonly string[]).includes(language)) throw new NotFoundException(`no language '${language}'; languages: ${LANGUAGES.join(', ')}`);
    return [kind as MessageKind, language as ReplyLanguage];
  }

  private authorize(authorization: string | undefined): void {
    const token = this.env.NOTIFIER_ADMIN_TOKEN;
    if (!token) throw new ForbiddenException('template editing is off: set NOTIFIER_ADMIN_TOKEN');
    const given = Buffer.from(authorization?.replace(/^Bearer /i, '') ?? '');
    const expected = Buffer.from(token);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new ForbiddenException('wrong or missing admin token');
  }
}
