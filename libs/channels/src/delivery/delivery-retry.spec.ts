import { afterDeliveryFailure, isPermanentDeliveryError, parseRetryDelays } from './delivery-retry';

const DELAYS = [30_000, 120_000, 600_000];

describe('afterDeliveryFailure', () => {
  it('retries a temporary failure on the same channel with growing delays, then falls back', () => {
    const failure = { channel: 'sms' as const, status: 'failed' as const, code: '30008' };
    expect(afterDeliveryFailure({ ...failure, retriesMade: 0 }, DELAYS)).toEqual({ action: 'retry', delayMs: 30_000, retry: 1 });
    expect(afterDeliveryFailure({ ...failure, retriesMade: 1 }, DELAYS)).toEqual({ action: 'retry', delayMs: 120_000, retry: 2 });
    expect(afterDeliveryFailure({ ...failure, retriesMade: 2 }, DELAYS)).toEqual({ action: 'retry', delayMs: 600_000, retry: 3 });
    expect(afterDeliveryFailure({ ...failure, retriesMade: 3 }, DELAYS)).toEqual({ action: 'fall-back' });
  });

  it('skips the retries for errors that sending again cannot fix', () => {
    for (const [channel, code] of [['sms', 'opted_out'], ['sms', '21610'], ['sms', '21211'], ['social', '131047'], ['social', 'window-closed'], ['email', '550'], ['email', '5.1.1']] as const) {
      expect(afterDeliveryFailure({ channel, status: 'failed', code, retriesMade: 0 }, DELAYS)).toEqual({ action: 'fall-back' });
    }
  });

  it('does not retry what the carrier already gave up on (undelivered)', () => {
    expect(afterDeliveryFailure({ channel: 'sms', status: 'undelivered', code: '30003', retriesMade: 0 }, DELAYS)).toEqual({ action: 'fall-back' });
  });

  it('retries rate limits, provider errors and failures without a code', () => {
    for (const [channel, code] of [['social', '130429'], ['social', 'network'], ['sms', '429'], ['sms', undefined], ['email', '451'], ['email', '4.4.1']] as const) {
      expect(afterDeliveryFailure({ channel, status: 'failed', code, retriesMade: 0 }, DELAYS).action).toBe('retry');
    }
  });

  it('ignores successes and retries nothing when no delays are configured', () => {
    expect(afterDeliveryFailure({ channel: 'sms', status: 'delivered', retriesMade: 0 }, DELAYS)).toEqual({ action: 'none' });
    expect(afterDeliveryFailure({ channel: 'sms', status: 'failed', code: '30008', retriesMade: 0 }, [])).toEqual({ action: 'fall-back' });
  });
});

describe('isPermanentDeliveryError', () => {
  it('reads SMTP classes and provider codes per channel', () => {
    expect(isPermanentDeliveryError('email', '421')).toBe(false);
    expect(isPermanentDeliveryError('email', '554')).toBe(true);
    expect(isPermanentDeliveryError('social', '131047')).toBe(true);
    expect(isPermanentDeliveryError('sms', '131047')).toBe(false);
  });

  it('never retries an outcome-unknown send, whatever the channel (it may have arrived)', () => {
    for (const channel of ['email', 'sms', 'social', 'inapp'] as const) expect(isPermanentDeliveryError(channel, 'outcome-unknown')).toBe(true);
  });
});

describe('parseRetryDelays', () => {
  it('reads units and plain milliseconds', () => {
    expect(parseRetryDelays('30s,2m,10m')).toEqual(DELAYS);
    expect(parseRetryDelays('500, 1500')).toEqual([500, 1500]);
    expect(parseRetryDelays('')).toEqual([]);
    expect(() => parseRetryDelays('soon')).toThrow(/not a delay/);
  });
});
