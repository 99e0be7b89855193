// Language-independent rule engine (VADER-style) driven by a LangPack: lexicon and phrase
// look-up, per-brand vocabulary, negation with a look-back window, intensifiers and
// diminishers, contrast ("mais"/"but": the clause after weighs more), all-caps and "!"
// emphasis, then normalisation of the summed valence into [-1, 1].

import { isShouted, tokenize, unstretch, type Token } from './text'

/** A multi-word entry, stored under its first folded word. */
export interface Phrase {
  rest: string[]
  valence: number
}

export interface LangPack {
  /** Single folded words -> valence (-4..+4 scale). */
  words: Map<string, number>
  /** First folded word -> phrases starting with it, longest first. */
  phrases: Map<string, Phrase[]>
  /** Emoji and emoticons -> valence. */
  symbols: Map<string, number>
  negators: Set<string>
  /** Negators that follow the word they negate (French "j'aime pas"). */
  postNegators: Set<string>
  /** Words a negation never flips (e.g. "sérieux", idiomatic after "pas"). */
  noNegate: Set<string>
  /** Intensifier (> 0) or diminisher (< 0) -> additive boost on the next sentiment word. */
  boosters: Map<string, number>
  /** Contrast markers: the clause before is damped, the clause after is amplified. */
  contrast: Set<string>
  /** Optional language hook run on each word token (e.g. French elision split). */
  splitWord?: (tok: Token) => Token[] | null
  /** Candidate base forms for an unknown word (light inflection stripping), tried in order. */
  baseForms?: (w: string) => string[]
  /** Normalisation constant: score = s / sqrt(s^2 + alpha). */
  alpha: number
  /** How many preceding tokens a negator may sit in. */
  negationWindow: number
}

/** A brand vocabulary compiled to the same shapes as the pack's lexicon. */
export interface CompiledVocabulary {
  words: Map<string, number>
  phrases: Map<string, Phrase[]>
}

// Constants from VADER (Hutto & Gilbert 2014), empirically derived there, not fitted here.
const NEGATION_SCALAR = -0.74
const CAPS_INCREMENT = 0.733
const BANG_INCREMENT = 0.292
const MAX_BANGS = 4
const CONTRAST_BEFORE = 0.5
const CONTRAST_AFTER = 1.5
/** Booster effect decays with distance: 1, 0.95, 0.9 for 1, 2, 3 tokens back. */
const BOOST_DECAY = [1, 0.95, 0.9]
// Ours, not VADER's: a stretched word ("loooove") is emphasis, worth about one booster.
const STRETCH_INCREMENT = 0.3

/** Adds phrase entries to a first-word index, keeping the longest phrases first. */
export function addPhrase(index: Map<string, Phrase[]>, words: string[], valence: number): void {
  const [first, ...rest] = words
  let list = index.get(first)
  if (!list) index.set(first, (list = []))
  const existing = list.find((p) => p.rest.join(' ') === rest.join(' '))
  if (existing) existing.valence = valence
  else list.push({ rest, valence })
  list.sort((a, b) => b.rest.length - a.rest.length)
}

function matchPhrase(list: Phrase[] | undefined, toks: Token[], i: number): Phrase | null {
  if (!list) return null
  for (const p of list) {
    let ok = true
    for (let k = 0; k < p.rest.length; k++) {
      const t = toks[i + 1 + k]
      if (!t || t.kind !== 'word' || t.w !== p.rest[k]) {
        ok = false
        break
      }
    }
    if (ok) return p
  }
  return null
}

const CAPITALISED = /^\p{Lu}\p{Ll}+$/u

/**
 * Marks words inside multi-word proper names ("Taylor Swift", "Super Bowl", "Front
 * National", "Grand Prix"): a run of two or more Capitalised words that does not open the
 * text or a sentence. Names carry no sentiment of their own. Skipped for texts written
 * mostly in Title Case (headlines), where capitals say nothing about names.
 */
function properNameMask(toks: Token[], words: number): boolean[] {
  const mask = new Array<boolean>(toks.length).fill(false)
  let caps = 0
  for (const t of toks) if (t.kind === 'word' && CAPITALISED.test(t.raw)) caps++
  if (caps < 2 || caps * 2 > words) return mask
  for (let i = 0; i < toks.length;) {
    let j = i
    while (j < toks.length && toks[j].kind === 'word' && CAPITALISED.test(toks[j].raw)) j++
    // At a sentence start the first word may just be capitalised prose: the name is the rest.
    const prev = toks[i - 1]
    const from = i === 0 || (prev.kind !== 'word' && prev.w !== ',') ? i + 1 : i
    if (j - from >= 2) for (let k = from; k < j; k++) mask[k] = true
    i = j > i ? j : i + 1
  }
  return mask
}

/** Tokenises with the pack's language hooks (elision etc.). */
export function packTokens(pack: Pick<LangPack, 'splitWord'>, text: string): Token[] {
  const toks = tokenize(text)
  if (!pack.splitWord) return toks
  const out: Token[] = []
  for (const t of toks) {
    const parts = t.kind === 'word' ? pack.splitWord(t) : null
    if (parts) out.push(...parts)
    else out.push(t)
  }
  return out
}

interface Hit {
  valence: number
  index: number
}

/**
 * Scores tokens; returns the raw summed valence (before normalisation) so that callers can
 * blend or inspect it, and the normalised score in [-1, 1].
 */
export function scoreTokens(
  pack: LangPack,
  toks: Token[],
  vocab?: CompiledVocabulary,
): { sum: number; score: number; hits: number } {
  // All-caps only signals emphasis when the rest of the text is not shouted too.
  let words = 0
  let shouted = 0
  for (const t of toks) {
    if (t.kind !== 'word') continue
    words++
    if (isShouted(t.raw)) shouted++
  }
  const capsMeansEmphasis = shouted > 0 && shouted < words
  const inName = properNameMask(toks, words)

  const hits: Hit[] = []
  let contrastAt = -1
  let bangs = 0
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]
    if (t.kind === 'bang') {
      bangs += t.raw.length
      continue
    }
    if (t.kind === 'emoji' || t.kind === 'emoticon') {
      const v = vocab?.words.get(t.w) ?? pack.symbols.get(t.w)
      if (v !== undefined && v !== 0) hits.push({ valence: v, index: i })
      continue
    }
    if (t.kind !== 'word') continue
    if (inName[i]) continue
    if (pack.contrast.has(t.w)) {
      contrastAt = i
      continue
    }

    // Longest match wins: brand phrases, then lexicon phrases, then single words.
    let valence: number | undefined
    let span = 1
    const p =
      matchPhrase(vocab?.phrases.get(t.w), toks, i) ?? matchPhrase(pack.phrases.get(t.w), toks, i)
    if (p) {
      valence = p.valence
      span = p.rest.length + 1
    } else {
      valence = vocab?.words.get(t.w) ?? pack.words.get(t.w)
    }
    let stretched = false
    if (valence === undefined) {
      const variants = unstretch(t.w)
      if (variants) {
        for (const v of variants) {
          valence = vocab?.words.get(v) ?? pack.words.get(v)
          if (valence !== undefined) {
            stretched = true
            break
          }
        }
      }
    }
    if (valence === undefined && pack.baseForms && t.w.length > 4) {
      for (const b of pack.baseForms(t.w)) {
        valence = vocab?.words.get(b) ?? pack.words.get(b)
        if (valence !== undefined) break
      }
    }
    if (valence === undefined) continue
    if (valence === 0) {
      // A neutral phrase ("à peine", "service client") hides its words from the lexicon.
      i += span - 1
      continue
    }

    let v = valence
    const sign = Math.sign(v)
    if (capsMeansEmphasis) {
      for (let k = 0; k < span; k++) {
        if (isShouted(toks[i + k].raw)) {
          v += sign * CAPS_INCREMENT
          break
        }
      }
    }
    if (stretched) v += sign * STRETCH_INCREMENT

    // Boosters and negators in the look-back window; a clause separator or a contrast word
    // ends the window ("pas cher, mais excellent" must not negate "excellent").
    // A phrase that contains its own negation ("ne marche pas") is not negated again.
    const selfNegated =
      pack.negators.has(t.w) || (p !== null && p.rest.some((w) => pack.negators.has(w)))
    let negated = false
    for (let k = 1; k <= pack.negationWindow; k++) {
      const prev = toks[i - k]
      if (!prev || prev.kind === 'sep' || prev.kind === 'bang' || prev.kind === 'question') break
      if (prev.kind !== 'word') continue
      if (pack.contrast.has(prev.w)) break
      if (k <= BOOST_DECAY.length) {
        const b = pack.boosters.get(prev.w)
        if (b !== undefined) v += sign * b * BOOST_DECAY[k - 1]
      }
      if (pack.negators.has(prev.w)) negated = true
    }
    const next = toks[i + span]
    if (next && next.kind === 'word' && pack.postNegators.has(next.w)) negated = true
    if (negated && !selfNegated && !pack.noNegate.has(t.w)) v *= NEGATION_SCALAR

    hits.push({ valence: v, index: i })
    i += span - 1
  }

  let sum = 0
  for (const h of hits) {
    let v = h.valence
    if (contrastAt >= 0) v *= h.index < contrastAt ? CONTRAST_BEFORE : CONTRAST_AFTER
    sum += v
  }
  if (sum !== 0 && bangs > 0) sum += Math.sign(sum) * Math.min(bangs, MAX_BANGS) * BANG_INCREMENT
  const score = sum === 0 ? 0 : sum / Math.sqrt(sum * sum + pack.alpha)
  return { sum, score, hits: hits.length }
}

/**
 * Compiles term/phrase -> valence entries with the pack's own tokeniser, so that a phrase
 * written "n'importe quoi" or "Service Client" matches exactly what scoring will see.
 * Valences are clamped to the lexicon scale.
 */
export function compileEntries(
  pack: Pick<LangPack, 'splitWord'>,
  entries: Record<string, number>,
  into: CompiledVocabulary = { words: new Map(), phrases: new Map() },
): CompiledVocabulary {
  for (const [term, raw] of Object.entries(entries)) {
    if (!Number.isFinite(raw)) continue
    const valence = Math.max(-4, Math.min(4, raw))
    const words = packTokens(pack, term)
      .filter((t) => t.kind === 'word')
      .map((t) => t.w)
    if (words.length === 0) {
      // Emoji or emoticon entries are keyed by their surface form.
      const sym = term.trim().replace(/\u{FE0F}/gu, '')
      if (sym) into.words.set(sym, valence)
    } else if (words.length === 1) into.words.set(words[0], valence)
    else addPhrase(into.phrases, words, valence)
  }
  return into
}
