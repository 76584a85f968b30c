import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { errorBodyOf } from './api-error';

interface Reply {
  status(code: number): Reply;
  json(body: unknown): void;
  headersSent?: boolean;
}

/** Every error leaves as `{ error: { code, message, details? } }`; client errors are logged at info, the rest with their stack. */
@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const http = host.switchToHttp();
    const reply = http.getResponse<Reply>();
    const request = http.getRequest<{ method: string; url: string }>();
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    const body = errorBodyOf(status, exception instanceof HttpException ? exception.getResponse() : undefined, status >= 500 ? 'internal error' : 'request refused');
    if (status >= 500) this.logger.error({ err: exception, method: request.method, url: request.url }, 'request failed');
    else this.logger.info({ status, code: body.error.code, method: request.method, url: request.url.split('?')[0], reason: body.error.message }, 'request refused');
    if (reply.headersSent) return;
    reply.status(status).json(body);
  }
}
