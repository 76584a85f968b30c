import { AGENT_SCOPE, TICKET_SCOPE } from './attributes';
import { compileExpression, ExpressionError } from './expression';

const ticket = { category: 'refund', confidence: 0.9, language: 'id', channel: 'email', urgency: ['money_lost'], entities: ['amount'], triage: false };

describe('expression language', () => {
  it.each([
    ["category == 'refund' and language in ['id', 'en']", true],
    ["category == 'refund' and language in ['en']", false],
    ["category != 'refund' or channel == 'email'", true],
    ["not (category == 'refund')", false],
    ["'money_lost' in urgency", true],
    ["'stolen_device' not in urgency", true],
    ["'amount' in entities and confidence >= 0.9", true],
    ['confidence < 0.5 or triage', false],
    ['not triage', true],
    ["urgency == []", false],
    ["customerTier == 'gold'", false],
    ['priority > 10', false],
    ['true', true],
  ])('%s is %s', (source, expected) => {
    expect(compileExpression(source, TICKET_SCOPE).evaluate(ticket)).toBe(expected);
  });

  it('reads agent attributes and the ticket as ticket.*', () => {
    const expr = compileExpression("'id' in languages and level >= 2 and ticket.language in languages", AGENT_SCOPE);
    expect(expr.evaluate({ languages: ['en', 'id'], level: 2, 'ticket.language': 'id' })).toBe(true);
    expect(expr.evaluate({ languages: ['en'], level: 3, 'ticket.language': 'en' })).toBe(false);
    expect(expr.names).toEqual(['languages', 'level', 'ticket.language']);
  });

  it('says which clause failed and what it saw', () => {
    const expr = compileExpression("'id' in languages and level >= 2", AGENT_SCOPE);
    expect(expr.explainFalse({ languages: ['id'], level: 1 })).toBe('`level >= 2` is false (level is 1)');
    expect(expr.explainFalse({ languages: ['en'], level: 3 })).toBe("`'id' in languages` is false (languages is ['en'])");
  });

  it.each([
    ["categroy == 'refund'", "unknown attribute 'categroy' (did you mean 'category'?) at column 1"],
    ["category == 'refunds'", "'refunds' is not a known category value"],
    ["category = 'refund'", "'=' is not an operator (use '==') at column 10"],
    ["category == 'refund' && triage", "'&' is not an operator"],
    ["category == 'refund' and", 'expression ends too early at column 25'],
    ["language in 'id'", "the right side of 'in' must be a list"],
    ["confidence > 'high'", "'>' compares numbers but `'high'` is a string"],
    ["category == 1", "'==' compares a string (`category`) with a number (`1`)"],
    ["category", 'an expression must be true or false but this is a string'],
    ["category == 'refund' or confidence", "'or' needs true/false operands"],
    ["(category == 'refund'", "expected ')' but found 'end of expression'"],
    ["language in ['id' 'en']", "expected ',' or ']' but found ''en''"],
    ["category == 'refund", 'unterminated string at column 13'],
    ['', 'empty expression'],
    ['eval(1)', "unknown attribute 'eval'"],
    ["triage (1)", "unexpected '('"],
  ])('rejects %p', (source, message) => {
    expect(() => compileExpression(source, TICKET_SCOPE)).toThrow(ExpressionError);
    expect(() => compileExpression(source, TICKET_SCOPE)).toThrow(message);
  });

  it('has no way to reach outside the bindings', () => {
    expect(() => compileExpression('constructor.name == 1', TICKET_SCOPE)).toThrow(/unknown attribute 'constructor.name'/);
    expect(() => compileExpression("__proto__ == 'x'", TICKET_SCOPE)).toThrow(/unknown attribute/);
  });
});
