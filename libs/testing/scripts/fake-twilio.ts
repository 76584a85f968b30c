// The fake Twilio for local demos, so channel-sms runs end to end without a Twilio account:
//   node -r ./test/register-ts.js libs/testing/scripts/fake-twilio.ts serve          # Messages API on :3099, prints what is "sent"
//   node -r ./test/register-ts.js libs/testing/scripts/fake-twilio.ts sms +6281234567890 gk bisa login min
// channel-sms then needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN as below and TWILIO_API_BASE_URL=http://127.0.0.1:3099.
import { FakeTwilio, twilioInboundSmsParams } from '../src/fake-twilio';

const accountSid = process.env.TWILIO_ACCOUNT_SID ?? 'AC' + '0'.repeat(32);
const authToken = process.env.TWILIO_AUTH_TOKEN ?? 'local-demo-twilio-token-not-secret';
const port = Number(process.env.FAKE_TWILIO_PORT ?? 3099);
const smsUrl = process.env.SMS_URL ?? 'http://127.0.0.1:3002';

async function serve(): Promise<void> {
  const fake = await new FakeTwilio({ accountSid, authToken, callbackDelayMs: 500 }).start(port);
  console.log(`fake Twilio on ${fake.url} (account ${accountSid})`);
  let shown = 0;
  setInterval(() => {
    for (const m of fake.messages.slice(shown)) console.log(`SMS to ${m.to}: ${m.body}`);
    shown = fake.messages.length;
  }, 200);
  process.once('SIGINT', () => void fake.stop().then(() => process.exit(0)));
  process.once('SIGTERM', () => void fake.stop().then(() => process.exit(0)));
}

async function sms(from: string, text: string): Promise<void> {
  const fake = new FakeTwilio({ accountSid, authToken });
  const response = await fake.sendWebhook(`${smsUrl}/webhooks/twilio/sms`, twilioInboundSmsParams({ from, body: text, accountSid }));
  console.log(response.status, await response.text());
}

const [command, ...args] = process.argv.slice(2);
const run = command === 'serve' ? serve() : command === 'sms' && args.length >= 2 ? sms(args[0], args.slice(1).join(' ')) : Promise.reject(new Error('usage: fake-twilio.ts serve | sms <+E164> <text>'));
run.catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
