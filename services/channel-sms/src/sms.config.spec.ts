import { smsEncoding } from '@switchboard/channels';
import { ConfigError, loadEnv } from '@switchboard/service-kit';
import { senderOf, smsEnvSchema } from './sms.config';

const ACCOUNT = 'AC' + '0123456789abcdef'.repeat(2);
const base = { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: 'f'.repeat(32), TWILIO_FROM: '+15005550006' };

describe('channel-sms configuration', () => {
  it('refuses to start without credentials or a sender, saying what each is', () => {
    expect(() => loadEnv(smsEnvSchema, {})).toThrow(ConfigError);
    const message = (() => {
      try {
        loadEnv(smsEnvSchema, {});
        return '';
      } catch (error) {
        return String(error);
      }
    })();
    expect(message).toMatch(/TWILIO_ACCOUNT_SID: required/);
    expect(message).toMatch(/TWILIO_AUTH_TOKEN: required/);
    expect(() => loadEnv(smsEnvSchema, { ...base, TWILIO_FROM: undefined })).toThrow(/TWILIO_FROM: required: TWILIO_FROM \(a sender number\) or TWILIO_MESSAGING_SERVICE_SID/);
    expect(() => loadEnv(smsEnvSchema, { ...base, TWILIO_ACCOUNT_SID: 'AC123' })).toThrow(/TWILIO_ACCOUNT_SID: expected AC and 32 hex digits/);
    expect(() => loadEnv(smsEnvSchema, { ...base, SMS_PUBLIC_BASE_URL: 'sms.example.com' })).toThrow(/SMS_PUBLIC_BASE_URL/);
  });

  it('defaults the public URL to where it listens, and drops a trailing slash from a configured one', () => {
    expect(loadEnv(smsEnvSchema, base)).toMatchObject({ PORT: 3002, SMS_PUBLIC_BASE_URL: 'http://127.0.0.1:3002', SMS_WEBHOOK_BODY_LIMIT: 65_536 });
    expect(loadEnv(smsEnvSchema, { ...base, PORT: '4000' }).SMS_PUBLIC_BASE_URL).toBe('http://127.0.0.1:4000');
    expect(loadEnv(smsEnvSchema, { ...base, SMS_PUBLIC_BASE_URL: 'https://example.com/sms/' }).SMS_PUBLIC_BASE_URL).toBe('https://example.com/sms');
    expect(loadEnv(smsEnvSchema, base).TWILIO_API_BASE_URL).toBeUndefined();
    expect(loadEnv(smsEnvSchema, { ...base, TWILIO_API_BASE_URL: '' }).TWILIO_API_BASE_URL).toBeUndefined();
  });

  it('sends from the messaging service when there is one, else from the number', () => {
    expect(senderOf(loadEnv(smsEnvSchema, base))).toEqual({ from: '+15005550006' });
    const service = 'MG' + 'a'.repeat(32);
    expect(senderOf(loadEnv(smsEnvSchema, { ...base, TWILIO_MESSAGING_SERVICE_SID: service }))).toEqual({ messagingServiceSid: service });
    expect(senderOf(loadEnv(smsEnvSchema, { ...base, TWILIO_FROM: '', TWILIO_MESSAGING_SERVICE_SID: service }))).toEqual({ messagingServiceSid: service });
  });

  it('answers HELP in one GSM-7 segment by default', () => {
    expect(smsEncoding(loadEnv(smsEnvSchema, base).SMS_HELP_TEXT)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });
});
