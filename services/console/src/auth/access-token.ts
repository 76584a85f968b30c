import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { z } from 'zod';
import { ConsoleUserDocument } from '@switchboard/persistence';
import { Principal } from '../access/principal';
import { CONSOLE_ENV, ConsoleEnv } from '../console.config';

const claimsSchema = z.object({
  sub: z.string().min(1),
  email: z.string(),
  name: z.string(),
  role: z.enum(['agent', 'supervisor', 'admin']),
  agentId: z.string().optional(),
  queues: z.array(z.string()),
});

export class InvalidTokenError extends Error {}

/** Short-lived HS256 JWTs carrying who the user is and what they may see. */
@Injectable()
export class AccessTokens {
  private readonly jwt: JwtService;

  constructor(@Inject(CONSOLE_ENV) private readonly env: ConsoleEnv) {
    this.jwt = new JwtService({ secret: env.CONSOLE_JWT_SECRET, signOptions: { algorithm: 'HS256', issuer: 'switchboard-console', audience: 'switchboard-console' } });
  }

  get lifetimeSeconds(): number {
    return this.env.CONSOLE_ACCESS_TOKEN_SECONDS;
  }

  sign(user: ConsoleUserDocument): string {
    const claims: z.infer<typeof claimsSchema> = { sub: user._id, email: user.email, name: user.name, role: user.role, queues: user.queues, ...(user.agentId ? { agentId: user.agentId } : {}) };
    return this.jwt.sign(claims, { expiresIn: this.env.CONSOLE_ACCESS_TOKEN_SECONDS });
  }

  /** When a token (already verified) expires, ms since epoch. */
  expiryOf(token: string): number {
    const payload = this.jwt.decode<{ exp?: number } | null>(token);
    return (payload?.exp ?? 0) * 1000;
  }

  /** The principal of a valid token; InvalidTokenError for a forged, expired or malformed one. */
  verify(token: string): Principal {
    let payload: unknown;
    try {
      payload = this.jwt.verify(token, { algorithms: ['HS256'], issuer: 'switchboard-console', audience: 'switchboard-console' });
    } catch (error) {
      throw new InvalidTokenError(error instanceof Error ? error.message : 'invalid token');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new InvalidTokenError('token claims do not match');
    const { sub, ...rest } = claims.data;
    return { id: sub, ...rest };
  }
}
