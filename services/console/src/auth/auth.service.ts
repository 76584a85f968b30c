import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { ConsoleUserDocument, ConsoleUserRepository } from '@switchboard/persistence';
import { ApiError } from '../api/api-error';
import { AuditLog } from '../audit/audit-log';
import { CONSOLE_ENV, ConsoleEnv } from '../console.config';
import { AccessTokens } from './access-token';
import { LoginThrottle } from './login-throttle';
import { DECOY_HASH, hashPassword, verifyPassword } from './password-hash';
import { passwordProblems } from './password-policy';

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  role: ConsoleUserDocument['role'];
  agentId?: string;
  queues: string[];
}

export interface Session {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  user: PublicUser;
}

export function publicUser(user: ConsoleUserDocument): PublicUser {
  return { id: user._id, email: user.email, name: user.name, role: user.role, queues: user.queues, ...(user.agentId ? { agentId: user.agentId } : {}) };
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Sign-in with a password, short-lived access tokens, refresh tokens rotated on every use. */
@Injectable()
export class AuthService {
  private readonly throttle: LoginThrottle;
  /** Per user: a stolen access token must not become a way to guess the password behind it. */
  private readonly changeThrottle: LoginThrottle;

  constructor(
    private readonly users: ConsoleUserRepository,
    private readonly tokens: AccessTokens,
    private readonly audit: AuditLog,
    @Inject(CONSOLE_ENV) private readonly env: ConsoleEnv,
  ) {
    this.throttle = new LoginThrottle(env.CONSOLE_LOGIN_MAX_FAILURES, env.CONSOLE_LOGIN_WINDOW_SECONDS * 1000);
    this.changeThrottle = new LoginThrottle(env.CONSOLE_LOGIN_MAX_FAILURES, env.CONSOLE_LOGIN_WINDOW_SECONDS * 1000);
  }

  async login(email: string, password: string, address: string): Promise<Session> {
    const wait = this.throttle.retryAfterMs(address, Date.now());
    if (wait > 0) throw new ApiError(429, 'rate_limited', `too many failed sign-ins from this address; try again in ${Math.ceil(wait / 1000)} s`);
    const user = await this.users.findByEmail(email);
    // The decoy keeps an unknown email as slow as a wrong password, so timing does not tell which.
    const ok = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH);
    if (!user || !ok) {
      this.throttle.fail(address, Date.now());
      await this.audit.record({ id: user?._id ?? 'anonymous', role: user?.role ?? 'agent', email: email.toLowerCase() }, 'auth.login', { outcome: 'refused', details: { address } });
      throw new ApiError(401, 'unauthorized', 'wrong email or password');
    }
    this.throttle.succeed(address);
    const session = await this.startFamily(user, undefined);
    await this.audit.record({ id: user._id, role: user.role, email: user.email, agentId: user.agentId }, 'auth.login', { details: { address } });
    return session;
  }

  /** A used, revoked or unknown token is 401; a rotated token used again revokes its whole family (it was stolen or replayed). */
  async refresh(refreshToken: string): Promise<Session> {
    const hash = hashToken(refreshToken);
    const stored = await this.users.findRefreshToken(hash);
    const now = new Date();
    if (!stored || stored.expiresAt <= now) throw new ApiError(401, 'unauthorized', 'refresh token expired or unknown; sign in again');
    if (stored.usedAt || stored.revokedAt || !(await this.users.markUsed(hash, now))) {
      await this.users.revokeFamily(stored.family, now);
      throw new ApiError(401, 'unauthorized', 'refresh token already used; every session of this sign-in is closed, sign in again');
    }
    const user = await this.users.find(stored.userId);
    if (!user) throw new ApiError(401, 'unauthorized', 'user no longer exists');
    return this.startFamily(user, stored.family);
  }

  async logout(refreshToken: string): Promise<void> {
    const stored = await this.users.findRefreshToken(hashToken(refreshToken));
    if (!stored) return;
    await this.users.revokeFamily(stored.family, new Date());
    const user = await this.users.find(stored.userId);
    if (user) await this.audit.record({ id: user._id, role: user.role, email: user.email }, 'auth.logout');
  }

  /**
   * A user's own password change: the current password proves it is them (not just their token),
   * the new one must pass the policy and differ from it. Every other sign-in of the user ends; the
   * caller gets a fresh session and stays signed in.
   */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<Session> {
    const key = `user:${userId}`;
    const wait = this.changeThrottle.retryAfterMs(key, Date.now());
    if (wait > 0) throw new ApiError(429, 'rate_limited', `too many wrong current passwords; try again in ${Math.ceil(wait / 1000)} s`);
    const user = await this.users.find(userId);
    if (!user) throw new ApiError(401, 'unauthorized', 'user no longer exists');
    const actor = { id: user._id, role: user.role, email: user.email, agentId: user.agentId };
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      this.changeThrottle.fail(key, Date.now());
      await this.audit.record(actor, 'auth.password_change', { outcome: 'refused' });
      throw new ApiError(403, 'forbidden', 'the current password is wrong');
    }
    this.changeThrottle.succeed(key);
    const problems = passwordProblems(newPassword, user.email);
    if (newPassword === currentPassword) problems.push('choose a password other than the current one');
    if (problems.length) throw new ApiError(422, 'validation_failed', 'choose another password', problems.map((message) => ({ path: 'newPassword', message })));
    const now = new Date();
    await this.users.setPasswordHash(user._id, await hashPassword(newPassword), now);
    await this.users.revokeSessionsOf(user._id, now);
    await this.audit.record(actor, 'auth.password_change');
    return this.startFamily(user, undefined);
  }

  private async startFamily(user: ConsoleUserDocument, family: string | undefined): Promise<Session> {
    const refreshToken = randomBytes(32).toString('base64url');
    const hash = hashToken(refreshToken);
    const now = new Date();
    await this.users.addRefreshToken({ _id: hash, userId: user._id, family: family ?? hash, createdAt: now, expiresAt: new Date(now.getTime() + this.env.CONSOLE_REFRESH_TOKEN_DAYS * 86_400_000) });
    return { accessToken: this.tokens.sign(user), tokenType: 'Bearer', expiresIn: this.tokens.lifetimeSeconds, refreshToken, user: publicUser(user) };
  }
}
