import { ApiErrorBody, Session, User } from '../api-types.js';
import { refreshDelayMs } from '../jwt-expiry.js';

const REFRESH_KEY = 'switchboard.refreshToken';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
  ) {
    super(message);
  }
}

/**
 * The console API with its session: the access token lives in memory only, the refresh token in
 * localStorage so a reload keeps people signed in. Tokens are refreshed ahead of expiry and once
 * more on a 401; when that fails too, `onSignedOut` takes the user back to the sign-in page.
 */
export class Api {
  user?: User;
  onSignedOut: () => void = () => undefined;
  private accessToken?: string;
  private refreshing?: Promise<boolean>;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly base = '/api') {}

  async login(email: string, password: string): Promise<User> {
    const session = await this.send<Session>('POST', '/auth/login', { email, password }, false);
    this.adopt(session);
    return session.user;
  }

  /** The user's own password; the API answers with a fresh session (their other sign-ins end). */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    this.adopt(await this.send<Session>('POST', '/me/password', { currentPassword, newPassword }));
  }

  /** Resumes a session from a stored refresh token; undefined when there is none or it is spent. */
  async resume(): Promise<User | undefined> {
    if (!localStorage.getItem(REFRESH_KEY)) return undefined;
    return (await this.refresh()) ? this.user : undefined;
  }

  async logout(): Promise<void> {
    const refreshToken = localStorage.getItem(REFRESH_KEY);
    this.forget();
    if (refreshToken) await this.send('POST', '/auth/logout', { refreshToken }, false).catch(() => undefined);
  }

  /** A valid access token (refreshing first when it is about to run out), for the live socket. */
  async freshToken(): Promise<string | undefined> {
    if (this.accessToken && refreshDelayMs(this.accessToken, Date.now()) > 5_000) return this.accessToken;
    return (await this.refresh()) ? this.accessToken : undefined;
  }

  get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.send<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>('PUT', path, body);
  }

  private async send<T>(method: string, path: string, body?: unknown, authed = true, retried = false): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (authed && this.accessToken) headers.authorization = `Bearer ${this.accessToken}`;
    const response = await fetch(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401 && authed && !retried) {
      if (await this.refresh()) return this.send<T>(method, path, body, authed, true);
      throw new ApiError(401, 'unauthorized', 'Your session ended; sign in again.');
    }
    const text = await response.text();
    const json: unknown = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const error = (json as Partial<ApiErrorBody> | undefined)?.error;
      throw new ApiError(response.status, error?.code ?? String(response.status), error?.message ?? response.statusText, error?.details ?? []);
    }
    return json as T;
  }

  /** One refresh at a time: concurrent 401s share it (the refresh token is rotated on use). */
  private refresh(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const refreshToken = localStorage.getItem(REFRESH_KEY);
      if (!refreshToken) return false;
      try {
        this.adopt(await this.send<Session>('POST', '/auth/refresh', { refreshToken }, false));
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.status < 500) {
          this.forget();
          this.onSignedOut();
        }
        return false;
      }
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private adopt(session: Session): void {
    this.accessToken = session.accessToken;
    this.user = session.user;
    localStorage.setItem(REFRESH_KEY, session.refreshToken);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), refreshDelayMs(session.accessToken, Date.now()));
  }

  private forget(): void {
    clearTimeout(this.timer);
    this.accessToken = undefined;
    this.user = undefined;
    localStorage.removeItem(REFRESH_KEY);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { code: 'bad_response', message: text.slice(0, 200) } };
  }
}

/** The message to show for a failed call. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 403) return 'You do not have access to this.';
    return err.message || `Request failed (${err.status})`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** One problem from an error's `details` ({path?, message} from the API's validation) as a line of text. */
export function detailText(detail: unknown): string {
  if (typeof detail === 'string') return detail;
  if (detail && typeof detail === 'object') {
    const { path, message } = detail as { path?: unknown; message?: unknown };
    if (typeof message === 'string') return typeof path === 'string' && path ? `${path}: ${message}` : message;
  }
  return JSON.stringify(detail);
}
