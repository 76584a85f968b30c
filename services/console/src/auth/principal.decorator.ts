import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Principal } from '../access/principal';
import { ApiError } from '../api/api-error';
import { ConsoleRequest } from './auth.guard';

/** The signed-in user (set by AuthGuard). */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<ConsoleRequest>().principal;
  if (!principal) throw new ApiError(401, 'unauthorized', 'not signed in');
  return principal;
});
