// `npm start` runs this beside the services: local stand-ins for Twilio, the Graph API, the
// Bot API and an outbound SMTP relay (the same fakes the tests use) so every channel works without provider accounts.
// Its settings must match the channel services' env in services.json.
import { ProviderSandbox } from '@switchboard/testing';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  const sandbox = await new ProviderSandbox({
    ports: { http: port('SANDBOX_PORT', 3090), twilio: port('SANDBOX_TWILIO_PORT', 3099), graph: port('SANDBOX_GRAPH_PORT', 3098), telegram: port('SANDBOX_TELEGRAM_PORT', 3097), smtp: port('SANDBOX_SMTP_PORT', 2526) },
    twilio: { accountSid: 'AC' + '0'.repeat(32), authToken: 'local-demo-twilio-token-not-secret', ourNumber: '+15005550006' },
    meta: {
      appSecret: 'local-demo-meta-app-secret',
      accessToken: 'local-demo-meta-access-token',
      phoneNumberId: '100000000000001',
      pageId: '200000000000001',
      instagramAccountId: '300000000000001',
      templates: { ticket_update: ['en', 'id', 'zh_CN'] },
    },
    telegram: { botToken: '123456:local-demo-bot-token', webhookSecret: 'local_demo_telegram_secret' },
    channels: {
      sms: process.env.SMS_URL ?? 'http://127.0.0.1:3002',
      social: process.env.SOCIAL_URL ?? 'http://127.0.0.1:3003',
      emailIngress: { host: '127.0.0.1', port: port('EMAIL_SMTP_PORT', 2525) },
      supportAddress: 'support@example.com',
    },
  }).start();
  let shown = 0;
  setInterval(() => {
    const sent = sandbox.sent();
    for (const m of sent.slice(shown)) console.log(`${m.provider} → ${m.to}: ${m.text}`);
    shown = sent.length;
  }, 500).unref();
  console.log(`provider sandbox on http://127.0.0.1:${sandbox.settings.ports.http}/ (Twilio :${sandbox.settings.ports.twilio}, Graph :${sandbox.settings.ports.graph}, Bot API :${sandbox.settings.ports.telegram}, SMTP relay :${sandbox.settings.ports.smtp})`);
  const stop = () => void sandbox.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
