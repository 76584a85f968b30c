import { HttpException, HttpStatus } from '@nestjs/common';

export type ErrorCode =
  | 'validation_failed'
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'upstream_failed'
  | 'unavailable'
  | 'internal';

/** The one error body of the API: `{ error: { code, message, details? } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown[] };
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'validation_failed',
  429: 'rate_limited',
  502: 'upstream_failed',
  503: 'unavailable',
};

export function codeForStatus(status: number): ErrorCode {
  return CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request');
}

/** An error with our body; `details` lists problems by field. */
export class ApiError extends HttpException {
  constructor(status: HttpStatus, code: ErrorCode, message: string, details?: unknown[]) {
    super({ error: { code, message, ...(details ? { details } : {}) } } satisfies ErrorBody, status);
  }
}

/** Turns whatever Nest or a pipe threw into our body (ZodBodyPipe's `problems` become `details`). */
export function errorBodyOf(status: number, response: unknown, fallbackMessage: string): ErrorBody {
  if (typeof response === 'object' && response !== null && 'error' in response) {
    const error = (response as { error: unknown }).error;
    if (typeof error === 'object' && error !== null && 'code' in error) return response as ErrorBody;
  }
  const record = (typeof response === 'object' && response !== null ? response : {}) as { message?: unknown; problems?: unknown };
  const message = Array.isArray(record.message) ? record.message.join('; ') : typeof record.message === 'string' ? record.message : typeof response === 'string' ? response : fallbackMessage;
  const problems = Array.isArray(record.problems) ? record.problems : undefined;
  return { error: { code: problems ? 'validation_failed' : codeForStatus(status), message, ...(problems ? { details: problems } : {}) } };
}
