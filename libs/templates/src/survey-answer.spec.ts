import { parseSurveyAnswer } from './survey-answer';

describe('parseSurveyAnswer', () => {
  it.each([
    ['5', { score: 5 }],
    [' 4 ', { score: 4 }],
    ['1', { score: 1 }],
    ['4/5', { score: 4 }],
    ['5!', { score: 5 }],
    ['５', { score: 5 }],
  ])('reads a bare rating %p', (text, expected) => {
    expect(parseSurveyAnswer(text)).toEqual(expected);
  });

  it.each([
    // en
    ['5 great help, thanks', { score: 5, comment: 'great help, thanks' }],
    ['3 - slow but fine', { score: 3, comment: 'slow but fine' }],
    ['5 stars', { score: 5 }],
    // id
    ['5 puas', { score: 5, comment: 'puas' }],
    ['4 bintang, agennya ramah', { score: 4, comment: 'agennya ramah' }],
    ['2 kurang cepat', { score: 2, comment: 'kurang cepat' }],
    // zh
    ['5 满意', { score: 5, comment: '满意' }],
    ['5星', { score: 5 }],
    ['五星 非常好', { score: 5, comment: '非常好' }],
    ['3分，一般', { score: 3, comment: '一般' }],
  ])('reads a rating with a short comment: %p', (text, expected) => {
    expect(parseSurveyAnswer(text)).toEqual(expected);
  });

  it('counts emoji stars', () => {
    expect(parseSurveyAnswer('⭐⭐⭐⭐⭐')).toEqual({ score: 5 });
    expect(parseSurveyAnswer('⭐️⭐️⭐️ ok')).toEqual({ score: 3, comment: 'ok' });
    expect(parseSurveyAnswer('★★')).toEqual({ score: 2 });
    expect(parseSurveyAnswer('⭐⭐⭐⭐⭐⭐')).toBeNull();
  });

  it.each([
    ['0'],
    ['6'],
    ['50'],
    ['5.000 hilang dari saldo'],
    ['5:30 transfer failed'],
    ['5 hari refund belum masuk'],
    ['3 days and still no refund'],
    ['2x charged'],
    ['5 juta raib'],
    ['5分钟前付款失败'],
    ['3天了还没退款'],
    ['puas'],
    ['满意'],
    ['thanks'],
    ['my payment failed again, can you check? it says error 5'],
    [''],
    [`5 ${'very long remark '.repeat(12)}`],
  ])('is not an answer: %p', (text) => {
    expect(parseSurveyAnswer(text)).toBeNull();
  });
});
