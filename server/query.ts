// The brand query language, with Google's precedence (what Google Alerts users already know):
//   query := and
//   and   := or ( ["AND"] or )*                juxtaposition is AND
//   or    := unary ( "OR" unary )*             OR binds tighter than AND
//   unary := ( "NOT" | "-" ) unary | primary   NOT binds tightest
//   primary := "(" and ")" | "phrase words" | word | prefix*
// So `"Acme" OR "Acme Corp" -"Acme Road"` reads `("Acme" OR "Acme Corp") AND NOT "Acme Road"`, and
// `a b OR c` reads `a AND (b OR c)`. Operators are upper-case (ET / OU / SAUF in French); lower-case
// "or" is a word. Matching is on whole folded words (server/text.ts): case- and accent-insensitive,
// "Acme" does not match "Acmeville", `acme*` does. A word with inner punctuation ("Coca-Cola",
// "acme.io") is a phrase of its parts.
import { fold, tokenize } from './text'

// French teams write ET / OU / SAUF: the same operators (upper-case only, like AND / OR / NOT;
// "Globex OU Initech" used to search the word "ou").
const OPERATORS = new Map<string, 'AND' | 'OR' | 'NOT'>([
  ['AND', 'AND'],
  ['OR', 'OR'],
  ['NOT', 'NOT'],
  ['ET', 'AND'],
  ['OU', 'OR'],
  ['SAUF', 'NOT'],
])

export type QueryNode =
  | { type: 'term'; words: string[]; prefix: boolean; source: string }
  | { type: 'and'; items: QueryNode[] }
  | { type: 'or'; items: QueryNode[] }
  | { type: 'not'; item: QueryNode }

/** What went wrong, for the UI to say in its language (the message is the English form). */
export type QueryErrorCode =
  | 'unclosedQuote'
  | 'empty'
  | 'needsTermAfter'
  | 'endsEarly'
  | 'emptyParens'
  | 'unclosedParen'
  | 'unexpectedClose'
  | 'needsTermBefore'
  | 'emptyPhrase'
  | 'noLetters'
  | 'prefixTooShort'
  | 'unexpected'
  | 'onlyExcluded'
  | 'tooDeep'

export class QueryError extends Error {
  constructor(
    message: string,
    public readonly position: number,
    public readonly code: QueryErrorCode,
    /** the operator or term concerned, if any */
    public readonly token = '',
  ) {
    super(message)
    this.name = 'QueryError'
  }
}

type Token =
  | { kind: 'word'; value: string; pos: number; prefix: boolean }
  | { kind: 'phrase'; value: string; pos: number }
  | { kind: 'op'; value: 'AND' | 'OR' | 'NOT' | '(' | ')'; pos: number }

function lex(input: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < input.length) {
    const ch = input[i]
    if (/\s/.test(ch)) {
      i++
    } else if (ch === '(' || ch === ')') {
      out.push({ kind: 'op', value: ch, pos: i })
      i++
    } else if (ch === '"' || ch === '“' || ch === '”' || ch === '«') {
      const close = ch === '«' ? '»' : ch === '“' ? '”' : '"'
      const end = input.indexOf(close, i + 1)
      const alt = close === '”' ? input.indexOf('"', i + 1) : -1
      const stop = end >= 0 ? end : alt
      if (stop < 0)
        throw new QueryError(`unclosed quote opened at position ${i + 1}`, i, 'unclosedQuote')
      out.push({ kind: 'phrase', value: input.slice(i + 1, stop), pos: i })
      i = stop + 1
    } else if (ch === '-' && (i === 0 || /[\s(]/.test(input[i - 1]))) {
      out.push({ kind: 'op', value: 'NOT', pos: i })
      i++
    } else {
      let j = i
      while (j < input.length && !/[\s()"“”«]/.test(input[j])) j++
      const raw = input.slice(i, j)
      const op = OPERATORS.get(raw)
      if (op) out.push({ kind: 'op', value: op, pos: i })
      else if (raw.endsWith('*'))
        out.push({ kind: 'word', value: raw.slice(0, -1), pos: i, prefix: true })
      else out.push({ kind: 'word', value: raw, pos: i, prefix: false })
      i = j
    }
  }
  return out
}

/**
 * Words that look like operators but are not in capitals ("acme or globex"): a Google Alerts habit,
 * searched here as the word "or". The brand form says so; it is not an error.
 */
export function lowercaseOperators(input: string): string[] {
  let tokens: Token[]
  try {
    tokens = lex(input)
  } catch {
    return []
  }
  const found = tokens
    .filter((t) => t.kind === 'word' && !t.prefix && /^(and|or|not)$/i.test(t.value))
    .map((t) => t.value)
  return [...new Set(found)]
}

const MAX_DEPTH = 32

/** Parses a query; throws QueryError with a 0-based position and a readable reason. */
export function parseQuery(input: string): QueryNode {
  const tokens = lex(input)
  if (!tokens.length) throw new QueryError('the query is empty', 0, 'empty')
  // an operator named as it was typed: "OU en position 1…", not "OR", to whoever wrote OU
  const typed = (t: Token): string => {
    if (t.kind !== 'op') return t.value
    if (input[t.pos] === '-') return '-'
    const word = /^[A-Za-z]+/.exec(input.slice(t.pos))?.[0]
    return word && OPERATORS.has(word) ? word : t.value
  }
  let k = 0
  let depth = 0
  const peek = () => tokens[k]
  const startsPrimary = (t: Token | undefined) =>
    !!t && (t.kind !== 'op' || t.value === '(' || t.value === 'NOT')

  function parseAnd(): QueryNode {
    const items = [parseOr()]
    for (;;) {
      const t = peek()
      if (t?.kind === 'op' && t.value === 'AND') {
        k++
        if (!startsPrimary(peek()))
          throw new QueryError(
            `${typed(t)} at position ${t.pos + 1} needs a term after it`,
            t.pos,
            'needsTermAfter',
            typed(t),
          )
        items.push(parseOr())
      } else if (startsPrimary(t)) {
        items.push(parseOr())
      } else break
    }
    return items.length === 1 ? items[0] : { type: 'and', items }
  }

  function parseOr(): QueryNode {
    const items = [parseUnary()]
    while (peek()?.kind === 'op' && peek().value === 'OR') {
      const op = tokens[k++]
      if (!startsPrimary(peek()))
        throw new QueryError(
          `${typed(op)} at position ${op.pos + 1} needs a term after it`,
          op.pos,
          'needsTermAfter',
          typed(op),
        )
      items.push(parseUnary())
    }
    return items.length === 1 ? items[0] : { type: 'or', items }
  }

  function parseUnary(): QueryNode {
    const t = peek()
    if (t?.kind === 'op' && t.value === 'NOT') {
      k++
      if (!startsPrimary(peek()))
        throw new QueryError(
          `${typed(t)} at position ${t.pos + 1} needs a term after it`,
          t.pos,
          'needsTermAfter',
          typed(t),
        )
      return { type: 'not', item: parseUnary() }
    }
    return parsePrimary()
  }

  function parsePrimary(): QueryNode {
    const t = tokens[k++]
    if (!t)
      throw new QueryError('the query ends where a term was expected', input.length, 'endsEarly')
    if (t.kind === 'op') {
      if (t.value === '(') {
        if (peek()?.kind === 'op' && peek().value === ')')
          throw new QueryError(`empty parentheses at position ${t.pos + 1}`, t.pos, 'emptyParens')
        // a query is read recursively: 20,000 "(" overflowed the stack, a crash instead of a reason
        if (++depth > MAX_DEPTH)
          throw new QueryError(
            `parentheses nested more than ${MAX_DEPTH} deep at position ${t.pos + 1}`,
            t.pos,
            'tooDeep',
          )
        const inner = parseAnd()
        depth--
        const close = tokens[k++]
        if (!close || close.kind !== 'op' || close.value !== ')')
          throw new QueryError(
            `parenthesis opened at position ${t.pos + 1} is not closed`,
            t.pos,
            'unclosedParen',
          )
        return inner
      }
      if (t.value === ')')
        throw new QueryError(`unexpected ")" at position ${t.pos + 1}`, t.pos, 'unexpectedClose')
      throw new QueryError(
        `${typed(t)} at position ${t.pos + 1} needs a term before it`,
        t.pos,
        'needsTermBefore',
        typed(t),
      )
    }
    const words = tokenize(t.value)
    if (!words.length)
      throw new QueryError(
        t.kind === 'phrase'
          ? `empty phrase at position ${t.pos + 1}`
          : `"${t.value}" at position ${t.pos + 1} has no letters or digits`,
        t.pos,
        t.kind === 'phrase' ? 'emptyPhrase' : 'noLetters',
        t.kind === 'word' && t.prefix ? `${t.value}*` : t.value, // a lone "*" is named, not «  »
      )
    const prefix = t.kind === 'word' && t.prefix
    if (prefix && words[words.length - 1].length < 2)
      throw new QueryError(
        `prefix "${t.value}*" at position ${t.pos + 1} is too short (2 letters at least)`,
        t.pos,
        'prefixTooShort',
        `${t.value}*`,
      )
    return {
      type: 'term',
      words,
      prefix,
      source: t.kind === 'phrase' ? `"${t.value}"` : t.value + (prefix ? '*' : ''),
    }
  }

  const node = parseAnd()
  if (k < tokens.length) {
    const t = tokens[k]
    throw new QueryError(
      `unexpected "${typed(t)}" at position ${t.pos + 1}`,
      t.pos,
      'unexpected',
      typed(t),
    )
  }
  if (!positiveTerms(node).length)
    throw new QueryError(
      'the query needs at least one term that is not excluded',
      0,
      'onlyExcluded',
    )
  return node
}

/** The terms a match can rest on (not under NOT), as search strings for collectors' APIs. */
export function positiveTerms(node: QueryNode, negated = false): string[] {
  switch (node.type) {
    case 'term':
      return negated ? [] : [node.words.join(' ')]
    case 'not':
      return positiveTerms(node.item, !negated)
    default:
      return [...new Set(node.items.flatMap((n) => positiveTerms(n, negated)))]
  }
}

/** A folded, tokenized text ready for many queries (tokenize once per item, match per brand). */
export interface MatchText {
  tokens: string[]
}

export function prepareText(text: string): MatchText {
  return { tokens: tokenize(text) }
}

// Plain loops, no closures: this runs for every item × every brand during ingestion.
function termMatches(words: string[], prefix: boolean, tokens: string[]): boolean {
  const last = words.length - 1
  const first = words[0]
  for (let s = 0; s + last < tokens.length; s++) {
    const tok = tokens[s]
    if (last === 0) {
      if (prefix ? tok.startsWith(first) : tok === first) return true
      continue
    }
    if (tok !== first) continue
    let w = 1
    for (; w <= last; w++) {
      const t = tokens[s + w]
      if (w === last && prefix ? !t.startsWith(words[w]) : t !== words[w]) break
    }
    if (w > last) return true
  }
  return false
}

function evaluate(n: QueryNode, tokens: string[], hits: string[]): boolean {
  if (n.type === 'term') {
    const ok = termMatches(n.words, n.prefix, tokens)
    if (ok && !hits.includes(n.source)) hits.push(n.source)
    return ok
  }
  if (n.type === 'not') {
    const mark = hits.length
    const ok = evaluate(n.item, tokens, hits)
    hits.length = mark // terms under NOT are no reason to keep an item
    return !ok
  }
  if (n.type === 'and') {
    for (let i = 0; i < n.items.length; i++) if (!evaluate(n.items[i], tokens, hits)) return false
    return true
  }
  let any = false
  for (let i = 0; i < n.items.length; i++) if (evaluate(n.items[i], tokens, hits)) any = true // all, to collect hits
  return any
}

/** Evaluates a query; returns the positive terms that matched, or null when it does not match. */
export function matchQuery(node: QueryNode, mt: MatchText): string[] | null {
  const hits: string[] = []
  return evaluate(node, mt.tokens, hits) ? hits : null
}

/** Convenience for one-off checks (tests, previews). */
export function matches(query: string, text: string): boolean {
  return matchQuery(parseQuery(query), prepareText(text)) !== null
}

export { fold }
