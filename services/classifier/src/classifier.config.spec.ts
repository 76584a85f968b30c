import { ConfigError, loadEnv } from '@switchboard/service-kit';
import { classifierEnvSchema } from './classifier.config';

describe('classifier configuration', () => {
  it('leaves the thresholds to the model by default', () => {
    const env = loadEnv(classifierEnvSchema, {});
    expect(env.TRIAGE_THRESHOLD).toBeUndefined();
    expect(env.TRIAGE_THRESHOLDS).toBeUndefined();
    expect(env.HEALTH_PORT).toBe(3010);
  });

  it('reads one threshold and thresholds per language', () => {
    const env = loadEnv(classifierEnvSchema, { TRIAGE_THRESHOLD: '0.8', TRIAGE_THRESHOLDS: 'id=0.9, zh=0.93' });
    expect(env.TRIAGE_THRESHOLD).toBe(0.8);
    expect(env.TRIAGE_THRESHOLDS).toEqual({ id: 0.9, zh: 0.93 });
  });

  it.each([['TRIAGE_THRESHOLD', '1.5'], ['TRIAGE_THRESHOLDS', 'id=1.2'], ['TRIAGE_THRESHOLDS', 'fr=0.9'], ['TRIAGE_THRESHOLDS', 'id:0.9']])('refuses %s=%s', (name, value) => {
    expect(() => loadEnv(classifierEnvSchema, { [name]: value })).toThrow(ConfigError);
  });
});
