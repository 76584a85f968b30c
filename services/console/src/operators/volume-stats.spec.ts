import { StatsTicket, volumeStats } from './volume-stats';

const now = new Date('2026-01-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const ticket = (over: Partial<StatsTicket>): StatsTicket => ({ category: 'login', channel: 'sms', language: 'id', triage: false, status: 'open', openedAt: minutesAgo(10), updatedAt: minutesAgo(10), ...over });

describe('volumeStats', () => {
  it('counts the window only, by channel, category and language, with triage rate and throughput', () => {
    const stats = volumeStats(
      'hour',
      [
        ticket({}),
        ticket({ channel: 'email', category: 'refund', language: 'en', triage: true }),
        ticket({ status: 'resolved', openedAt: minutesAgo(30), updatedAt: minutesAgo(2) }),
        // Opened before the window but resolved in it: throughput, not volume.
        ticket({ status: 'resolved', openedAt: minutesAgo(120), updatedAt: minutesAgo(5) }),
        ticket({ openedAt: minutesAgo(61) }),
      ],
      [
        { receivedAt: minutesAgo(1), classification: { confidence: 0.9 } },
        { receivedAt: minutesAgo(2), classification: { confidence: 0.5 } },
        { receivedAt: minutesAgo(90), classification: { confidence: 0.1 } },
      ],
      now,
    );
    expect(stats).toMatchObject({
      opened: 3,
      byChannel: { sms: 2, email: 1 },
      byCategory: { login: 2, refund: 1 },
      byLanguage: { id: 2, en: 1 },
      meanConfidence: 0.7,
      triageRate: 0.333,
      resolved: 2,
      resolvedPerHour: 2,
    });
    expect(stats.series).toHaveLength(12);
    expect(stats.series.reduce((s, slot) => s + slot.opened, 0)).toBe(3);
    expect(stats.series[11]).toMatchObject({ opened: 0, resolved: 2 });
  });

  it('says null, not zero, for rates without data, and spreads a day over hourly slots', () => {
    const stats = volumeStats('day', [], [], now);
    expect(stats).toMatchObject({ opened: 0, meanConfidence: null, triageRate: null, resolvedPerHour: 0 });
    expect(stats.series).toHaveLength(24);
  });
});
