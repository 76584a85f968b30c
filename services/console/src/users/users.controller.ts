import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConsoleUserDocument, ConsoleUserRepository } from '@switchboard/persistence';
import { ZodBodyPipe } from '@switchboard/service-kit';
import { Principal } from '../access/principal';
import { ApiError } from '../api/api-error';
import { paginationSchema, skipOf } from '../api/pagination';
import { ZodQueryPipe } from '../api/zod-query.pipe';
import { AuditLog } from '../audit/audit-log';
import { publicUser } from '../auth/auth.service';
import { hashPassword } from '../auth/password-hash';
import { passwordProblems } from '../auth/password-policy';
import { CurrentUser } from '../auth/principal.decorator';
import { LeastRole } from '../auth/roles.decorator';

const queues = z.array(z.string().min(1).max(100)).max(50);
export const userCreateSchema = z
  .object({
    email: z.string().trim().toLowerCase().pipe(z.string().email().max(320)),
    name: z.string().trim().min(1).max(100),
    role: z.enum(['agent', 'supervisor', 'admin']),
    agentId: z.string().min(1).max(200).optional(),
    queues: queues.default([]),
    password: z.string().min(1).max(256),
  })
  .strict();
export const userUpdateSchema = userCreateSchema.omit({ email: true }).partial().strict();
export const userListQuerySchema = paginationSchema.strict();

/** Console accounts (admins). Role and queue changes reach a user's access token at its next refresh. */
@Controller('api/users')
export class UsersController {
  constructor(
    private readonly users: ConsoleUserRepository,
    private readonly audit: AuditLog,
  ) {}

  @Get()
  @LeastRole('admin')
  async list(@Query(new ZodQueryPipe(userListQuerySchema)) query: z.infer<typeof userListQuerySchema>) {
    const all = (await this.users.list()).map(publicUser);
    return { items: all.slice(skipOf(query), skipOf(query) + query.pageSize), page: query.page, pageSize: query.pageSize, total: all.length };
  }

  @Post()
  @LeastRole('admin')
  @HttpCode(201)
  async create(@CurrentUser() admin: Principal, @Body(new ZodBodyPipe(userCreateSchema)) body: z.infer<typeof userCreateSchema>) {
    checkAgent(body.role, body.agentId);
    checkPassword(body.password, body.email);
    const now = new Date();
    const user: ConsoleUserDocument = {
      _id: randomUUID(),
      email: body.email,
      name: body.name,
      role: body.role,
      queues: body.queues,
      ...(body.agentId ? { agentId: body.agentId } : {}),
      passwordHash: await hashPassword(body.password),
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.users.insertIfAbsent(user))) throw new ApiError(409, 'conflict', `a user with email ${body.email} exists`);
    await this.audit.record(admin, 'user.create', { target: user._id, details: { email: user.email, role: user.role, queues: user.queues } });
    return publicUser(user);
  }

  @Put(':id')
  @LeastRole('admin')
  async update(@CurrentUser() admin: Principal, @Param('id') id: string, @Body(new ZodBodyPipe(userUpdateSchema)) body: z.infer<typeof userUpdateSchema>) {
    const existing = await this.users.find(id);
    if (!existing) throw new ApiError(404, 'not_found', `no user ${id.slice(0, 200)}`);
    const { password, ...changes } = body;
    const next: ConsoleUserDocument = { ...existing, ...changes, updatedAt: new Date() };
    checkAgent(next.role, next.agentId);
    if (password !== undefined) {
      checkPassword(password, next.email);
      next.passwordHash = await hashPassword(password);
    }
    await this.users.upsert(next);
    // A password set by an admin (a forgotten or leaked one) ends the user's sign-ins.
    if (password !== undefined) await this.users.revokeSessionsOf(id, next.updatedAt);
    await this.audit.record(admin, 'user.update', { target: id, details: { ...changes, ...(password !== undefined ? { password: 'changed' } : {}) } });
    return publicUser(next);
  }
}

function checkAgent(role: string, agentId: string | undefined): void {
  if (role === 'agent' && !agentId) throw new ApiError(422, 'validation_failed', 'an agent needs the agentId routing knows them by', [{ path: 'agentId', message: 'Required for role agent' }]);
}

function checkPassword(password: string, email: string): void {
  const problems = passwordProblems(password, email);
  if (problems.length) throw new ApiError(422, 'validation_failed', 'choose another password', problems.map((message) => ({ path: 'password', message })));
}
