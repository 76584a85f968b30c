import WebSocket from 'ws';
import { eventually } from './topic-reader';

export interface PushedMessage {
  type: 'message';
  id: string;
  ticketId: string;
  ticketNumber: number;
  kind: string;
  text: string;
  createdAt: string;
}

/** A customer's app: holds the WebSocket, records what is pushed, and acknowledges it if told to. */
export class CustomerSocket {
  readonly received: PushedMessage[] = [];
  private socket?: WebSocket;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly autoAck = true,
  ) {}

  async connect(): Promise<this> {
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/v1/ws?token=${encodeURIComponent(this.token)}`;
    const socket = new WebSocket(url);
    this.socket = socket;
    await new Promise<void>((done, fail) => {
      socket.once('error', fail);
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.type === 'ready') done();
        if (frame.type !== 'message') return;
        this.received.push(frame);
        if (this.autoAck) socket.send(JSON.stringify({ type: 'ack', id: frame.id }));
      });
    });
    return this;
  }

  waitForMessage(predicate: (m: PushedMessage) => boolean = () => true, timeoutMs = 30_000): Promise<PushedMessage> {
    return eventually(() => this.received.find(predicate), timeoutMs, 'no message pushed to the customer socket');
  }

  close(): void {
    this.socket?.close();
  }
}
