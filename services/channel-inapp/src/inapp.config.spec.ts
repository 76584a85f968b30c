import { ConfigError, loadEnv } from '@switchboard/service-kit';
import { inappEnvSchema } from './inapp.config';

describe('channel-inapp configuration', () => {
  it('refuses to start without the identity secret, saying what it is for', () => {
    expect(() => loadEnv(inappEnvSchema, {})).toThrow(ConfigError);
    expect(() => loadEnv(inappEnvSchema, {})).toThrow(/INAPP_IDENTITY_SECRET: required/);
    expect(() => loadEnv(inappEnvSchema, { INAPP_IDENTITY_SECRET: 'short' })).toThrow(/at least 16/);
  });

  it('keeps demo mode off unless asked', () => {
    expect(loadEnv(inappEnvSchema, { INAPP_IDENTITY_SECRET: '0123456789abcdef' })).toMatchObject({ PORT: 3001, INAPP_DEMO: false });
    expect(loadEnv(inappEnvSchema, { INAPP_IDENTITY_SECRET: '0123456789abcdef', INAPP_DEMO: 'true' }).INAPP_DEMO).toBe(true);
  });
});
