import { ReceiptFoldWindow } from './receipt-fold-window';

describe('ReceiptFoldWindow', () => {
  const frozen = () => 0;

  it('lets a batch that began just now go only once a stop is signalled (a window of a minute would outlast the test)', async () => {
    const window = new ReceiptFoldWindow(60_000, frozen);
    const stopping = new AbortController();
    window.begin(3);
    const lingering = window.linger(3, stopping.signal);
    stopping.abort();
    await expect(lingering).resolves.toBeUndefined();
  });

  it('does not wait at all once the service is stopping, nor for a partition whose batch it did not see begin, nor with a window of 0', async () => {
    const stopped = new AbortController();
    stopped.abort();
    const window = new ReceiptFoldWindow(60_000, frozen);
    window.begin(0);
    await window.linger(0, stopped.signal);
    await window.linger(1);
    const off = new ReceiptFoldWindow(0, frozen);
    off.begin(0);
    await off.linger(0);
  });

  it('waits out only what is left of the window', async () => {
    let now = 0;
    const window = new ReceiptFoldWindow(1_000, () => now);
    window.begin(0);
    now = 990;
    await window.linger(0);
  });
});
