import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ConsoleRole } from '@switchboard/persistence';
import { hasRole, Principal } from '../access/principal';
import { ApiError } from '../api/api-error';
import { AccessTokens, InvalidTokenError } from './access-token';
import { LEAST_ROLE, PUBLIC_ROUTE } from './roles.decorator';

export interface ConsoleRequest {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
  ip?: string;
}

/** Every `/api` route needs `Authorization: Bearer <access token>` unless marked public, and the role it names. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<ConsoleRequest>();
    if (!request.url.startsWith('/api/')) return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new ApiError(401, 'unauthorized', 'missing Authorization: Bearer <access token>');
    try {
      request.principal = this.tokens.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new ApiError(401, 'unauthorized', `access token refused: ${error.message}`);
      throw error;
    }
    const least = this.reflector.getAllAndOverride<ConsoleRole | undefined>(LEAST_ROLE, targets);
    if (least && !hasRole(request.principal, least)) throw new ApiError(403, 'forbidden', `needs the ${least} role`);
    return true;
  }
}
