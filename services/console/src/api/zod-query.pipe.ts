import { PipeTransform } from '@nestjs/common';
import { ZodTypeAny, z } from 'zod';
import { ApiError } from './api-error';

/** Validates query parameters (or any non-body input) against a schema; 400 with the problems by field. */
export class ZodQueryPipe<S extends ZodTypeAny> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    throw new ApiError(400, 'validation_failed', 'query parameters do not match the API', result.error.issues.map((i) => ({ path: i.path.join('.') || '(query)', message: i.message })));
  }
}
