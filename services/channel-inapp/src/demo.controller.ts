import { Body, Controller, Get, Header, Inject, NotFoundException, Post } from '@nestjs/common';
import { z } from 'zod';
import { signIdentity } from '@switchboard/channels';
import { ZodBodyPipe } from '@switchboard/service-kit';
import { DEMO_PAGE } from './demo-page';
import { INAPP_ENV, InappEnv } from './inapp.config';

const tokenRequestSchema = z.object({ userId: z.string().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/), name: z.string().max(100).optional() }).strict();

/**
 * Stands in for the e-wallet app and its backend in local demos (INAPP_DEMO=true): a chat page,
 * and identity tokens for any user id. Both answer 404 otherwise.
 */
@Controller()
export class DemoController {
  constructor(@Inject(INAPP_ENV) private readonly env: InappEnv) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    this.requireDemo();
    return DEMO_PAGE;
  }

  @Post('demo/token')
  token(@Body(new ZodBodyPipe(tokenRequestSchema)) body: z.infer<typeof tokenRequestSchema>) {
    this.requireDemo();
    const exp = Math.floor(Date.now() / 1000) + 24 * 3600;
    return { token: signIdentity({ sub: body.userId, ...(body.name ? { name: body.name } : {}), exp }, this.env.INAPP_IDENTITY_SECRET), exp };
  }

  private requireDemo(): void {
    if (!this.env.INAPP_DEMO) throw new NotFoundException('demo mode is off (INAPP_DEMO=false)');
  }
}
