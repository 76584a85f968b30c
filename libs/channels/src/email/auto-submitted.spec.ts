import { isAutoSubmitted } from './auto-submitted';

describe('isAutoSubmitted', () => {
  it.each([
    [{ 'auto-submitted': ['auto-replied'] }],
    [{ 'auto-submitted': ['auto-generated'] }],
    [{ precedence: ['bulk'] }],
    [{ precedence: ['List'] }],
    [{ precedence: ['junk'] }],
    [{ 'list-id': ['<news.shop.example>'] }],
    [{ 'list-unsubscribe': ['<mailto:unsub@shop.example>'] }],
    [{ 'x-autoreply': ['yes'] }],
    [{ 'x-autorespond': ['Out of office'] }],
  ])('marks %j as machine-written', (headers) => {
    expect(isAutoSubmitted(headers)).toBe(true);
  });

  it('leaves mail written by a person alone', () => {
    expect(isAutoSubmitted({ 'auto-submitted': ['no'] })).toBe(false);
    expect(isAutoSubmitted({ precedence: ['normal'], subject: ['help'] })).toBe(false);
    expect(isAutoSubmitted({})).toBe(false);
  });
});
