import { ConfigError, loadEnv } from '@switchboard/service-kit';
import { resolveProviders, socialEnvSchema } from './social.config';

describe('channel-social configuration', () => {
  it('starts with every provider off, saying what each lacks', () => {
    const env = loadEnv(socialEnvSchema, {});
    expect(env).toMatchObject({ PORT: 3003, GRAPH_API_BASE_URL: 'https://graph.facebook.com', GRAPH_API_VERSION: 'v21.0', TELEGRAM_API_BASE_URL: 'https://api.telegram.org' });
    const providers = resolveProviders(env);
    expect(providers.whatsapp ?? providers.messenger ?? providers.instagram ?? providers.telegram).toBeUndefined();
    expect(providers.disabled.find((d) => d.provider === 'whatsapp')?.missing).toEqual([
      'META_APP_SECRET',
      'META_VERIFY_TOKEN',
      'WHATSAPP_ACCESS_TOKEN or META_ACCESS_TOKEN',
      'WHATSAPP_PHONE_NUMBER_ID',
    ]);
  });

  it('enables a product once its settings are there, per-product tokens before the shared one', () => {
    const env = loadEnv(socialEnvSchema, {
      META_APP_SECRET: 's',
      META_VERIFY_TOKEN: 'v',
      META_ACCESS_TOKEN: 'shared',
      INSTAGRAM_ACCESS_TOKEN: 'ig-own',
      WHATSAPP_PHONE_NUMBER_ID: '1065',
      INSTAGRAM_ACCOUNT_ID: '1784',
    });
    const providers = resolveProviders(env);
    expect(providers.whatsapp?.graph.accessToken).toBe('shared');
    expect(providers.instagram?.graph.accessToken).toBe('ig-own');
    expect(providers.messenger).toBeUndefined();
    expect(providers.disabled.map((d) => d.provider)).toEqual(['messenger', 'telegram']);
  });

  it('refuses malformed Telegram settings and Graph versions', () => {
    expect(() => loadEnv(socialEnvSchema, { TELEGRAM_BOT_TOKEN: 'nope' })).toThrow(ConfigError);
    expect(() => loadEnv(socialEnvSchema, { TELEGRAM_WEBHOOK_SECRET: 'has spaces' })).toThrow(/TELEGRAM_WEBHOOK_SECRET/);
    expect(() => loadEnv(socialEnvSchema, { GRAPH_API_VERSION: '21' })).toThrow(/v21\.0/);
  });
});
