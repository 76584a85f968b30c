import { z } from 'zod';

export const loginSchema = z
  .object({ email: z.string().trim().email().max(320), password: z.string().min(1).max(256) })
  .strict();
export type LoginRequest = z.infer<typeof loginSchema>;

export const refreshSchema = z.object({ refreshToken: z.string().min(20).max(200) }).strict();
export type RefreshRequest = z.infer<typeof refreshSchema>;

export const presenceSchema = z.object({ presence: z.enum(['available', 'away', 'offline']) }).strict();
export type PresenceRequest = z.infer<typeof presenceSchema>;

export const passwordChangeSchema = z.object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) }).strict();
export type PasswordChangeRequest = z.infer<typeof passwordChangeSchema>;
