import { z } from 'zod';
import { GraphEndpoint, SocialProvider } from '@switchboard/channels';
import { infraEnvSchema, portSetting } from '@switchboard/service-kit';

/** Unset and empty are the same (compose files pass `${VAR:-}`): the provider stays off. */
const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(unsetIfEmpty, schema.optional());
const setting = optional(z.string().trim().min(1));
const baseUrl = (fallback: string) => z.string().url().default(fallback);

export const socialEnvSchema = infraEnvSchema.extend({
  PORT: portSetting(3003),
  /** Largest webhook body accepted; Meta batches stay far below it. */
  SOCIAL_MAX_BODY_BYTES: z.coerce.number().int().min(1_024).max(50_000_000).default(1_000_000),
  META_APP_SECRET: setting,
  META_VERIFY_TOKEN: setting,
  META_ACCESS_TOKEN: setting,
  WHATSAPP_ACCESS_TOKEN: setting,
  MESSENGER_ACCESS_TOKEN: setting,
  INSTAGRAM_ACCESS_TOKEN: setting,
  WHATSAPP_PHONE_NUMBER_ID: setting,
  MESSENGER_PAGE_ID: setting,
  INSTAGRAM_ACCOUNT_ID: setting,
  WHATSAPP_TEMPLATE_NAME: setting,
  GRAPH_API_BASE_URL: baseUrl('https://graph.facebook.com'),
  GRAPH_API_VERSION: z.string().regex(/^v\d+\.\d+$/, 'expected a Graph API version like v21.0').default('v21.0'),
  TELEGRAM_BOT_TOKEN: optional(z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'expected a bot token like 123456:ABC-DEF…')),
  // Telegram's own rule for setWebhook's secret_token.
  TELEGRAM_WEBHOOK_SECRET: optional(z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'expected 1-256 characters of A-Z a-z 0-9 _ -')),
  TELEGRAM_API_BASE_URL: baseUrl('https://api.telegram.org'),
  /** Time allowed for one provider call before it counts as failed. */
  SOCIAL_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
});
export type SocialEnv = z.infer<typeof socialEnvSchema>;
export const SOCIAL_ENV = Symbol('SOCIAL_ENV');

export interface MetaWebhookSettings {
  appSecret: string;
  verifyToken: string;
}

/** What each provider needs to receive and to send; a provider missing any of it is off. */
export interface SocialProviders {
  whatsapp?: MetaWebhookSettings & { graph: GraphEndpoint; phoneNumberId: string; templateName?: string };
  messenger?: MetaWebhookSettings & { graph: GraphEndpoint; node: string };
  instagram?: MetaWebhookSettings & { graph: GraphEndpoint; node: string };
  telegram?: { apiBaseUrl: string; botToken: string; webhookSecret: string };
  /** Providers that are off, with the variables they lack, for the start-up log. */
  disabled: { provider: SocialProvider; missing: string[] }[];
}
export const SOCIAL_PROVIDERS_CONFIG = Symbol('SOCIAL_PROVIDERS_CONFIG');

export function resolveProviders(env: SocialEnv): SocialProviders {
  const providers: SocialProviders = { disabled: [] };
  const graph = (token: string | undefined): GraphEndpoint | undefined =>
    token ? { baseUrl: env.GRAPH_API_BASE_URL, version: env.GRAPH_API_VERSION, accessToken: token } : undefined;
  const need = (provider: SocialProvider, settings: Record<string, string | undefined>): boolean => {
    const missing = Object.entries(settings).filter(([, v]) => !v).map(([k]) => k);
    if (missing.length > 0) providers.disabled.push({ provider, missing });
    return missing.length === 0;
  };
  const meta = { META_APP_SECRET: env.META_APP_SECRET, META_VERIFY_TOKEN: env.META_VERIFY_TOKEN };
  const webhook = { appSecret: env.META_APP_SECRET ?? '', verifyToken: env.META_VERIFY_TOKEN ?? '' };

  const whatsappToken = env.WHATSAPP_ACCESS_TOKEN ?? env.META_ACCESS_TOKEN;
  if (need('whatsapp', { ...meta, 'WHATSAPP_ACCESS_TOKEN or META_ACCESS_TOKEN': whatsappToken, WHATSAPP_PHONE_NUMBER_ID: env.WHATSAPP_PHONE_NUMBER_ID })) {
    providers.whatsapp = { ...webhook, graph: graph(whatsappToken) as GraphEndpoint, phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID as string, templateName: env.WHATSAPP_TEMPLATE_NAME };
  }
  const messengerToken = env.MESSENGER_ACCESS_TOKEN ?? env.META_ACCESS_TOKEN;
  if (need('messenger', { ...meta, 'MESSENGER_ACCESS_TOKEN or META_ACCESS_TOKEN': messengerToken, MESSENGER_PAGE_ID: env.MESSENGER_PAGE_ID })) {
    providers.messenger = { ...webhook, graph: graph(messengerToken) as GraphEndpoint, node: env.MESSENGER_PAGE_ID as string };
  }
  const instagramToken = env.INSTAGRAM_ACCESS_TOKEN ?? env.META_ACCESS_TOKEN;
  if (need('instagram', { ...meta, 'INSTAGRAM_ACCESS_TOKEN or META_ACCESS_TOKEN': instagramToken, INSTAGRAM_ACCOUNT_ID: env.INSTAGRAM_ACCOUNT_ID })) {
    providers.instagram = { ...webhook, graph: graph(instagramToken) as GraphEndpoint, node: env.INSTAGRAM_ACCOUNT_ID as string };
  }
  if (need('telegram', { TELEGRAM_BOT_TOKEN: env.TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET: env.TELEGRAM_WEBHOOK_SECRET })) {
    providers.telegram = { apiBaseUrl: env.TELEGRAM_API_BASE_URL, botToken: env.TELEGRAM_BOT_TOKEN as string, webhookSecret: env.TELEGRAM_WEBHOOK_SECRET as string };
  }
  return providers;
}
