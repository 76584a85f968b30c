import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { INAPP_ENV, InappEnv } from './inapp.config';
import { WIDGET_PAGE } from './widget-page';

/** The embeddable chat; the customer's identity comes from the host app, never from this page. */
@Controller('widget')
export class WidgetController {
  constructor(@Inject(INAPP_ENV) private readonly env: InappEnv) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  page(@Res({ passthrough: true }) response: { setHeader(name: string, value: string): void }): string {
    response.setHeader('Content-Security-Policy', `default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors ${this.env.INAPP_WIDGET_FRAME_ANCESTORS}`);
    return WIDGET_PAGE;
  }
}
