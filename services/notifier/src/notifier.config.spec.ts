import { ConfigError, loadEnv } from '@switchboard/service-kit';
import { notifierEnvSchema } from './notifier.config';

describe('notifier configuration: SMS status checks', () => {
  it('checks stalled SMS at 10 min, 1 h and 6 h and polls every 30 s unless told otherwise', () => {
    expect(loadEnv(notifierEnvSchema, {})).toMatchObject({ NOTIFY_SMS_CHECK_AFTER: '10m,1h,6h', NOTIFY_SMS_CHECK_POLL_MS: 30_000 });
    expect(loadEnv(notifierEnvSchema, { NOTIFY_SMS_CHECK_AFTER: '' })).toMatchObject({ NOTIFY_SMS_CHECK_AFTER: '' });
  });

  it('refuses delays that do not grow or are not delays, naming the variable', () => {
    expect(() => loadEnv(notifierEnvSchema, { NOTIFY_SMS_CHECK_AFTER: '1h,10m' })).toThrow(ConfigError);
    expect(() => loadEnv(notifierEnvSchema, { NOTIFY_SMS_CHECK_AFTER: '1h,10m' })).toThrow(/NOTIFY_SMS_CHECK_AFTER: check delays must grow/);
    expect(() => loadEnv(notifierEnvSchema, { NOTIFY_SMS_CHECK_AFTER: 'later' })).toThrow(/NOTIFY_SMS_CHECK_AFTER: 'later' is not a delay/);
    expect(() => loadEnv(notifierEnvSchema, { NOTIFY_SMS_CHECK_POLL_MS: '10' })).toThrow(/NOTIFY_SMS_CHECK_POLL_MS/);
  });
});
