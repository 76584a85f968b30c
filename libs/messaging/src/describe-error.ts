import { ZodError } from 'zod';

/** One readable line: zod issues as `path: message`, other errors by their message. */
export function describeError(error: unknown): string {
  if (error instanceof ZodError) {
    return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  }
  if (error instanceof SyntaxError) return `not JSON: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
