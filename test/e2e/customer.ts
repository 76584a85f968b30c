import { randomUUID } from 'node:crypto';
import { signIdentity } from '@switchboard/channels';
import { CustomerSocket, PlatformUnderTest } from '@switchboard/testing';

/** A customer of the e-wallet app, signed in by the app's backend, talking to channel-inapp. */
export class Customer {
  readonly token: string;
  socket?: CustomerSocket;

  constructor(
    private readonly platform: PlatformUnderTest,
    readonly userId: string,
  ) {
    this.token = signIdentity({ sub: userId, exp: Math.floor(Date.now() / 1000) + 3600 }, platform.identitySecret);
  }

  private get baseUrl(): string {
    return this.platform.service('channel-inapp').url;
  }

  async openApp(): Promise<CustomerSocket> {
    this.socket = await new CustomerSocket(this.baseUrl, this.token).connect();
    return this.socket;
  }

  async send(text: string, clientMessageId: string = randomUUID()): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${this.baseUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ text, clientMessageId }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
}
