import { NestExpressApplication } from '@nestjs/platform-express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from 'nestjs-pino';
import { codeForStatus } from './api/api-error';
import { ConsoleEnv } from './console.config';
import { setUpOpenApi } from './openapi/openapi';

interface HttpError {
  status?: number;
  statusCode?: number;
  type?: string;
  message?: string;
}
type Next = (error?: unknown) => void;
interface Res {
  status(code: number): Res;
  json(body: unknown): void;
  headersSent: boolean;
  sendFile(path: string): void;
  setHeader(name: string, value: string): void;
}
interface Req {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
}

/**
 * What must be in place before the server listens: the JSON parser with our size limit (its
 * errors answered in the API's error body, not Express's HTML page), the web app, OpenAPI.
 */
export function configureHttp(app: NestExpressApplication, env: ConsoleEnv): void {
  const logger = app.get(Logger);
  if (env.CONSOLE_TRUST_PROXY) app.set('trust proxy', true);
  app.disable('x-powered-by');
  app.useBodyParser('json', { limit: env.CONSOLE_MAX_BODY_BYTES, strict: true });
  app.use((error: HttpError, req: Req, res: Res, next: Next) => {
    const status = error.status ?? error.statusCode;
    if (!status || status < 400 || status >= 500 || res.headersSent) return next(error);
    const message = error.type === 'entity.too.large' ? `body larger than ${env.CONSOLE_MAX_BODY_BYTES} bytes` : error.type === 'entity.parse.failed' ? 'body is not valid JSON' : (error.message ?? 'bad request');
    logger.log({ status, method: req.method, url: req.path, reason: message }, 'request refused');
    res.status(status).json({ error: { code: codeForStatus(status), message } });
  });
  app.use((_req: Req, res: Res, next: Next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  setUpOpenApi(app);
  const web = env.CONSOLE_WEB_DIR;
  const index = join(web, 'index.html');
  if (existsSync(index)) {
    app.useStaticAssets(web, { index: 'index.html', fallthrough: true });
    // The web app routes on the client: any other page path gets its shell.
    app.use((req: Req, res: Res, next: Next) => {
      if (req.method !== 'GET' || req.path.startsWith('/api') || req.path === '/health' || !(req.headers.accept ?? '').includes('text/html')) return next();
      res.sendFile(index);
    });
  } else {
    logger.warn({ dir: web }, 'console web app not found (CONSOLE_WEB_DIR); serving the API only');
  }
}
