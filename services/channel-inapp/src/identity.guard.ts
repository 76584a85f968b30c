import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { IdentityClaims, IdentityError, verifyIdentity } from '@switchboard/channels';
import { INAPP_ENV, InappEnv } from './inapp.config';

export type AuthenticatedRequest = IncomingMessage & { identity: IdentityClaims };

/** `Authorization: Bearer <identity token>`; 401 says why, so app developers can fix their signing. */
@Injectable()
export class IdentityGuard implements CanActivate {
  constructor(@Inject(INAPP_ENV) private readonly env: InappEnv) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedException('missing Authorization: Bearer <identity token>');
    try {
      request.identity = verifyIdentity(match[1], this.env.INAPP_IDENTITY_SECRET, Math.floor(Date.now() / 1000));
      return true;
    } catch (error) {
      if (error instanceof IdentityError) throw new UnauthorizedException(`identity token refused: ${error.message}`);
      throw error;
    }
  }
}
