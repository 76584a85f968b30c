import { LiveFrame } from '../api-types.js';
import { Api } from './api.js';

type Listener = (frame: LiveFrame) => void;

/**
 * The /api/live WebSocket: one per signed-in page, reconnecting with backoff (and a fresh token)
 * when it drops. Views subscribe for the frames they show and unsubscribe when they go.
 */
export class Live {
  private socket?: WebSocket;
  private readonly listeners = new Set<Listener>();
  private stopped = false;
  private attempt = 0;
  onState: (state: 'live' | 'reconnecting') => void = () => undefined;

  constructor(private readonly api: Api) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.stopped = false;
    const token = await this.api.freshToken();
    if (!token || this.stopped) return;
    const url = new URL(`/api/live?access_token=${encodeURIComponent(token)}`, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.onState('live');
    };
    socket.onmessage = (message) => {
      let frame: LiveFrame;
      try {
        frame = JSON.parse(String(message.data)) as LiveFrame;
      } catch {
        return;
      }
      for (const listener of this.listeners) listener(frame);
    };
    socket.onclose = () => {
      if (this.stopped || this.socket !== socket) return;
      this.onState('reconnecting');
      setTimeout(() => void this.start(), Math.min(15_000, 500 * 2 ** this.attempt++));
    };
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
    this.socket = undefined;
  }
}
