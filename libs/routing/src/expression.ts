// A small, safe expression language for routing rules: no eval, no Function, no property access
// beyond the attributes a scope declares. Expressions are parsed once, type-checked against the
// scope (unknown attributes, wrong types and unknown enum values are errors with a column), and
// compiled into closures.
//
//   category == 'refund' and language in ['id', 'en']
//   'id' in languages and level >= 2
//   not (channel == 'email') or 'money_lost' in urgency
//
// Grammar (lowest to highest precedence):
//   expr    := and ('or' and)*
//   and     := not ('and' not)*
//   not     := 'not' not | compare
//   compare := value (('==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not' 'in') value)?
//   value   := string | number | 'true' | 'false' | list | name | '(' expr ')'
//   list    := '[' (value (',' value)*)? ']'
//   name    := identifier ('.' identifier)*

export type ValueType = 'string' | 'number' | 'boolean' | 'list';

export interface AttributeSpec {
  type: ValueType;
  /** The values a string (or the items of a list) may take: literals compared with it are checked. */
  values?: readonly string[];
  description?: string;
}

export type ExpressionScope = Readonly<Record<string, AttributeSpec>>;

/** What an expression reads at evaluation time: attribute name → value (missing = absent). */
export type Value = string | number | boolean | readonly Value[] | null | undefined;
export type Bindings = Readonly<Record<string, Value>>;

export class ExpressionError extends Error {
  constructor(
    readonly reason: string,
    readonly column: number,
    readonly source: string,
  ) {
    super(`${reason} at column ${column} in \`${source}\``);
    this.name = 'ExpressionError';
  }
}

type Node =
  | { kind: 'literal'; value: Value; start: number; end: number }
  | { kind: 'list'; items: Node[]; start: number; end: number }
  | { kind: 'name'; name: string; spec: AttributeSpec; start: number; end: number }
  | { kind: 'not'; operand: Node; start: number; end: number }
  | { kind: 'logic'; op: 'and' | 'or'; operands: Node[]; start: number; end: number }
  | { kind: 'compare'; op: CompareOp; left: Node; right: Node; start: number; end: number };

type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';

interface Token {
  kind: 'string' | 'number' | 'word' | 'op' | 'punct' | 'end';
  text: string;
  value?: string | number;
  start: number;
  end: number;
}

export interface CompiledExpression {
  readonly source: string;
  /** The attribute names the expression reads (used to cache results per agent, for example). */
  readonly names: readonly string[];
  evaluate(bindings: Bindings): boolean;
  /** Why the expression is false for these bindings, in words: the first failing clause and the values it saw. */
  explainFalse(bindings: Bindings): string;
}

const WORD_OPERATORS = new Set(['and', 'or', 'not', 'in', 'true', 'false']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "'" || c === '"') {
      let text = '';
      i++;
      while (i < source.length && source[i] !== c) {
        if (source[i] === '\\' && i + 1 < source.length) i++;
        text += source[i];
        i++;
      }
      if (i >= source.length) throw new ExpressionError('unterminated string', start + 1, source);
      i++;
      tokens.push({ kind: 'string', text: source.slice(start, i), value: text, start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(source[i + 1] ?? ''))) {
      i++;
      while (i < source.length && /[0-9._]/.test(source[i])) i++;
      const text = source.slice(start, i);
      const value = Number(text.replace(/_/g, ''));
      if (!Number.isFinite(value)) throw new ExpressionError(`'${text}' is not a number`, start + 1, source);
      tokens.push({ kind: 'number', text, value, start, end: i });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < source.length && /[A-Za-z0-9_.]/.test(source[i])) i++;
      const text = source.slice(start, i);
      if (text.endsWith('.') || text.includes('..')) throw new ExpressionError(`'${text}' is not a valid name`, start + 1, source);
      tokens.push({ kind: 'word', text, start, end: i });
      continue;
    }
    const two = source.slice(i, i + 2);
    if (['==', '!=', '<=', '>='].includes(two)) {
      tokens.push({ kind: 'op', text: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === '<' || c === '>') {
      tokens.push({ kind: 'op', text: c, start, end: i + 1 });
      i++;
      continue;
    }
    if ('()[],'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, start, end: i + 1 });
      i++;
      continue;
    }
    if (c === '=') throw new ExpressionError("'=' is not an operator (use '==')", start + 1, source);
    if (c === '&' || c === '|' || c === '!') throw new ExpressionError(`'${c}' is not an operator (use 'and', 'or', 'not', '!=')`, start + 1, source);
    throw new ExpressionError(`unexpected character '${c}'`, start + 1, source);
  }
  tokens.push({ kind: 'end', text: 'end of expression', start: source.length, end: source.length });
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
    private readonly scope: ExpressionScope,
  ) {}

  parse(): Node {
    if (this.peek().kind === 'end') throw this.error('empty expression', this.peek());
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') throw this.error(`unexpected '${next.text}' (expected 'and', 'or' or the end)`, next);
    return node;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  private isWord(t: Token, word: string): boolean {
    return t.kind === 'word' && t.text === word;
  }

  private error(reason: string, at: Token | number): ExpressionError {
    return new ExpressionError(reason, (typeof at === 'number' ? at : at.start) + 1, this.source);
  }

  private parseOr(): Node {
    const first = this.parseAnd();
    const operands = [first];
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      operands.push(this.parseAnd());
    }
    if (operands.length === 1) return first;
    operands.forEach((o) => this.expectBoolean(o, 'or'));
    return { kind: 'logic', op: 'or', operands, start: first.start, end: operands[operands.length - 1].end };
  }

  private parseAnd(): Node {
    const first = this.parseNot();
    const operands = [first];
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      operands.push(this.parseNot());
    }
    if (operands.length === 1) return first;
    operands.forEach((o) => this.expectBoolean(o, 'and'));
    return { kind: 'logic', op: 'and', operands, start: first.start, end: operands[operands.length - 1].end };
  }

  private parseNot(): Node {
    const t = this.peek();
    if (this.isWord(t, 'not') && !this.isWord(this.peek(1), 'in')) {
      this.next();
      const operand = this.parseNot();
      this.expectBoolean(operand, 'not');
      return { kind: 'not', operand, start: t.start, end: operand.end };
    }
    return this.parseCompare();
  }

  private parseCompare(): Node {
    const left = this.parseValue();
    const t = this.peek();
    let op: CompareOp | undefined;
    if (t.kind === 'op') op = t.text as CompareOp;
    else if (this.isWord(t, 'in')) op = 'in';
    else if (this.isWord(t, 'not') && this.isWord(this.peek(1), 'in')) {
      this.next();
      op = 'not in';
    }
    if (!op) return left;
    this.next();
    const right = this.parseValue();
    this.checkComparison(op, left, right, t);
    return { kind: 'compare', op, left, right, start: left.start, end: right.end };
  }

  private parseValue(): Node {
    const t = this.next();
    if (t.kind === 'string') return { kind: 'literal', value: t.value as string, start: t.start, end: t.end };
    if (t.kind === 'number') return { kind: 'literal', value: t.value as number, start: t.start, end: t.end };
    if (t.kind === 'punct' && t.text === '(') {
      const inner = this.parseOr();
      const close = this.next();
      if (close.text !== ')' || close.kind !== 'punct') throw this.error(`expected ')' but found '${close.text}'`, close);
      return { ...inner, start: t.start, end: close.end };
    }
    if (t.kind === 'punct' && t.text === '[') {
      const items: Node[] = [];
      if (!(this.peek().kind === 'punct' && this.peek().text === ']')) {
        for (;;) {
          const item = this.parseValue();
          if (item.kind !== 'literal') throw this.error('list items must be strings or numbers', item.start);
          items.push(item);
          const sep = this.next();
          if (sep.kind === 'punct' && sep.text === ']') return { kind: 'list', items, start: t.start, end: sep.end };
          if (!(sep.kind === 'punct' && sep.text === ',')) throw this.error(`expected ',' or ']' but found '${sep.text}'`, sep);
        }
      }
      const close = this.next();
      return { kind: 'list', items, start: t.start, end: close.end };
    }
    if (t.kind === 'word') {
      if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true', start: t.start, end: t.end };
      if (WORD_OPERATORS.has(t.text)) throw this.error(`expected a value but found '${t.text}'`, t);
      const spec = Object.prototype.hasOwnProperty.call(this.scope, t.text) ? this.scope[t.text] : undefined;
      if (!spec) throw this.error(`unknown attribute '${t.text}'${suggest(t.text, Object.keys(this.scope))}`, t);
      return { kind: 'name', name: t.text, spec, start: t.start, end: t.end };
    }
    throw this.error(t.kind === 'end' ? 'expression ends too early' : `expected a value but found '${t.text}'`, t);
  }

  private typeOf(node: Node): ValueType {
    switch (node.kind) {
      case 'literal':
        return typeof node.value === 'number' ? 'number' : typeof node.value === 'boolean' ? 'boolean' : 'string';
      case 'list':
        return 'list';
      case 'name':
        return node.spec.type;
      default:
        return 'boolean';
    }
  }

  private expectBoolean(node: Node, op: string): void {
    if (this.typeOf(node) !== 'boolean') throw this.error(`'${op}' needs true/false operands but \`${this.text(node)}\` is a ${this.typeOf(node)}`, node.start);
  }

  private text(node: Node): string {
    return this.source.slice(node.start, node.end);
  }

  private checkComparison(op: CompareOp, left: Node, right: Node, at: Token): void {
    const lt = this.typeOf(left);
    const rt = this.typeOf(right);
    if (op === 'in' || op === 'not in') {
      if (rt !== 'list') throw this.error(`the right side of '${op}' must be a list but \`${this.text(right)}\` is a ${rt}`, right.start);
      if (lt === 'list' || lt === 'boolean') throw this.error(`the left side of '${op}' must be a string or number but \`${this.text(left)}\` is a ${lt}`, left.start);
      this.checkEnum(left, right);
      this.checkEnum(right, left);
      return;
    }
    if (op === '<' || op === '<=' || op === '>' || op === '>=') {
      for (const [node, type] of [[left, lt], [right, rt]] as const) {
        if (type !== 'number') throw this.error(`'${op}' compares numbers but \`${this.text(node)}\` is a ${type}`, node.start);
      }
      return;
    }
    if (lt !== rt) throw this.error(`'${op}' compares a ${lt} (\`${this.text(left)}\`) with a ${rt} (\`${this.text(right)}\`)`, at);
    this.checkEnum(left, right);
    this.checkEnum(right, left);
  }

  /** `category == 'refunds'` or `'stolen' in urgency`: a literal that can never match an enum attribute is a typo. */
  private checkEnum(named: Node, other: Node): void {
    if (named.kind !== 'name' || !named.spec.values) return;
    const literals = other.kind === 'literal' ? [other] : other.kind === 'list' ? other.items : [];
    for (const lit of literals) {
      if (lit.kind === 'literal' && typeof lit.value === 'string' && !named.spec.values.includes(lit.value)) {
        throw this.error(`'${lit.value}' is not a known ${named.name} value (${named.spec.values.join(', ')})`, lit.start);
      }
    }
  }
}

function suggest(name: string, known: string[]): string {
  const close = known.filter((k) => distance(k.toLowerCase(), name.toLowerCase()) <= 2);
  return close.length ? ` (did you mean ${close.map((c) => `'${c}'`).join(' or ')}?)` : ` (known: ${known.join(', ')})`;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

type Evaluator = (b: Bindings) => Value;

function isList(v: Value): v is readonly Value[] {
  return Array.isArray(v);
}

function equal(a: Value, b: Value): boolean {
  if (isList(a) && isList(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  return a === b;
}

function compileNode(node: Node): Evaluator {
  switch (node.kind) {
    case 'literal': {
      const v = node.value;
      return () => v;
    }
    case 'list': {
      const v = node.items.map((i) => (i.kind === 'literal' ? i.value : null));
      return () => v;
    }
    case 'name': {
      const name = node.name;
      return (b) => b[name];
    }
    case 'not': {
      const operand = compileNode(node.operand);
      return (b) => operand(b) !== true;
    }
    case 'logic': {
      const operands = node.operands.map(compileNode);
      return node.op === 'and' ? (b) => operands.every((o) => o(b) === true) : (b) => operands.some((o) => o(b) === true);
    }
    case 'compare': {
      const left = compileNode(node.left);
      const right = compileNode(node.right);
      switch (node.op) {
        case '==':
          return (b) => equal(left(b), right(b));
        case '!=':
          return (b) => !equal(left(b), right(b));
        case 'in':
        case 'not in': {
          const negate = node.op === 'not in';
          return (b) => {
            const r = right(b);
            const l = left(b);
            const found = isList(r) && l !== null && l !== undefined && r.includes(l);
            return negate ? !found : found;
          };
        }
        default: {
          const op = node.op;
          return (b) => {
            const l = left(b);
            const r = right(b);
            if (typeof l !== 'number' || typeof r !== 'number') return false;
            return op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : l >= r;
          };
        }
      }
    }
  }
}

function show(v: Value): string {
  if (v === undefined || v === null) return 'absent';
  if (isList(v)) return `[${v.map(show).join(', ')}]`;
  return typeof v === 'string' ? `'${v}'` : String(v);
}

function namesIn(node: Node, into: Set<string>): Set<string> {
  if (node.kind === 'name') into.add(node.name);
  else if (node.kind === 'not') namesIn(node.operand, into);
  else if (node.kind === 'logic') node.operands.forEach((o) => namesIn(o, into));
  else if (node.kind === 'compare') {
    namesIn(node.left, into);
    namesIn(node.right, into);
  }
  return into;
}

/** Parses and type-checks `source` against `scope`; throws ExpressionError with a column on any problem. */
export function compileExpression(source: string, scope: ExpressionScope): CompiledExpression {
  const root = new Parser(source, tokenize(source), scope).parse();
  if (root.kind === 'literal' || root.kind === 'list' || (root.kind === 'name' && root.spec.type !== 'boolean')) {
    const type = root.kind === 'list' ? 'list' : root.kind === 'name' ? root.spec.type : typeof root.value;
    if (type !== 'boolean') throw new ExpressionError(`an expression must be true or false but this is a ${type}`, root.start + 1, source);
  }
  const evaluate = compileNode(root);
  const names = [...namesIn(root, new Set())];
  const text = (n: Node) => source.slice(n.start, n.end).trim();
  const compiled = new Map<Node, Evaluator>();
  const evaluatorOf = (n: Node): Evaluator => {
    let e = compiled.get(n);
    if (!e) compiled.set(n, (e = compileNode(n)));
    return e;
  };
  const why = (node: Node, b: Bindings): string => {
    if (node.kind === 'logic' && node.op === 'and') {
      const failing = node.operands.find((o) => evaluatorOf(o)(b) !== true);
      return failing ? why(failing, b) : `\`${text(node)}\` is false`;
    }
    if (node.kind === 'logic') return node.operands.map((o) => why(o, b)).join('; ');
    const seen = [...namesIn(node, new Set())].map((n) => `${n} is ${show(b[n])}`);
    return `\`${text(node)}\` is false${seen.length ? ` (${seen.join(', ')})` : ''}`;
  };
  return {
    source,
    names,
    evaluate: (b) => evaluate(b) === true,
    explainFalse: (b) => why(root, b),
  };
}
