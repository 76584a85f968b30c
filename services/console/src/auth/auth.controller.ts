import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ConsoleUserRepository } from '@switchboard/persistence';
import { ZodBodyPipe } from '@switchboard/service-kit';
import { Principal } from '../access/principal';
import { ApiError } from '../api/api-error';
import { CommandIssuer } from '../api/command-issuer';
import { Public } from './roles.decorator';
import { AuthService } from './auth.service';
import { LoginRequest, loginSchema, PasswordChangeRequest, passwordChangeSchema, PresenceRequest, presenceSchema, RefreshRequest, refreshSchema } from './auth.schemas';
import { CurrentUser } from './principal.decorator';

@Controller('api')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly commands: CommandIssuer,
    private readonly users: ConsoleUserRepository,
  ) {}

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  login(@Body(new ZodBodyPipe(loginSchema)) body: LoginRequest, @Req() request: { ip?: string; socket?: { remoteAddress?: string } }) {
    return this.auth.login(body.email, body.password, request.ip ?? request.socket?.remoteAddress ?? 'unknown');
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  refresh(@Body(new ZodBodyPipe(refreshSchema)) body: RefreshRequest) {
    return this.auth.refresh(body.refreshToken);
  }

  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  async logout(@Body(new ZodBodyPipe(refreshSchema)) body: RefreshRequest): Promise<void> {
    await this.auth.logout(body.refreshToken);
  }

  @Get('me')
  me(@CurrentUser() user: Principal) {
    return user;
  }

  /** The user's own password; answers with a fresh session, as every other sign-in of theirs ends. */
  @Post('me/password')
  @HttpCode(200)
  changePassword(@CurrentUser() user: Principal, @Body(new ZodBodyPipe(passwordChangeSchema)) body: PasswordChangeRequest) {
    return this.auth.changePassword(user.id, body.currentPassword, body.newPassword);
  }

  /** An agent's presence, for routing (`agent.presence`). */
  @Post('me/presence')
  @HttpCode(202)
  async presence(@CurrentUser() user: Principal, @Body(new ZodBodyPipe(presenceSchema)) body: PresenceRequest) {
    if (!user.agentId) throw new ApiError(403, 'forbidden', 'only users who work as an agent have a presence');
    const accepted = await this.commands.issue(user, { type: 'agent.presence', agentId: user.agentId, presence: body.presence });
    await this.users.setPresence(user.id, body.presence, new Date());
    return accepted;
  }
}
