import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '@switchboard/testing';
import { PollLoop } from './poll-loop';

describe('PollLoop', () => {
  it('never runs two polls at once, goes on after a failed one, and stops only once the poll under way is done', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    let finished = 0;
    const errors: unknown[] = [];
    const loop = new PollLoop(
      async () => {
        runs++;
        running++;
        most = Math.max(most, running);
        // Each poll outlasts several ticks.
        await sleep(60);
        running--;
        finished++;
        if (runs === 1) throw new Error('the database is busy');
      },
      10,
      (error) => errors.push(error),
    );
    loop.start();
    await eventually(() => runs >= 3 || undefined, 10_000);
    await loop.stop();
    expect(most).toBe(1);
    expect(errors).toEqual([new Error('the database is busy')]);
    // Stopped after the run under way finished, and none starts after.
    expect(running).toBe(0);
    const after = runs;
    await sleep(100);
    expect(runs).toBe(after);
    expect(finished).toBe(runs);
  });
});
