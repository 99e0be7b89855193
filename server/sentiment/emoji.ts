// Emoji and emoticon valences, shared by both languages (a 😡 means the same in French).
// Base: wink-sentiment's emoji and emoticon tables (AFINN scale -5..+5, rescaled to the
// VADER scale -4..+4), completed with common emoji those tables predate.

import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const winkEmojis = require('wink-sentiment/src/emojis.js') as Record<string, number>
const winkEmoticons = require('wink-sentiment/src/emoticons.js') as Record<string, number>

/** AFINN (-5..+5) to VADER (-4..+4) scale. */
export const AFINN_TO_VADER = 0.8

// Emoji newer than wink's table (Unicode 9+) or scored 0 there although their use in
// complaints and praise is unambiguous; values on the VADER scale.
const EXTRA_EMOJI: Record<string, number> = {
  '🤬': -3,
  '🤮': -2.5,
  '🙄': -1.5,
  '🤦': -1.5,
  '👎': -2,
  '😡': -2.5,
  '😠': -2,
  '💔': -2,
  '😢': -1.5,
  '😭': -1,
  '😞': -1.5,
  '😔': -1.5,
  '😩': -1.5,
  '😫': -1.5,
  '🙁': -1.5,
  '☹': -1.5,
  '❌': -1,
  '🥰': 3,
  '🤩': 3,
  '🥳': 2.5,
  '🤣': 2,
  '😂': 1.5,
  '🙂': 1,
  '✅': 1,
  '👍': 2,
  '❤': 3,
  '💯': 1.5,
  '🔥': 1,
}

function buildSymbols(): Map<string, number> {
  const m = new Map<string, number>()
  for (const [k, v] of Object.entries(winkEmojis))
    m.set(k.replace(/\u{FE0F}/gu, ''), v * AFINN_TO_VADER)
  for (const [k, v] of Object.entries(winkEmoticons)) m.set(k, v * AFINN_TO_VADER)
  for (const [k, v] of Object.entries(EXTRA_EMOJI)) m.set(k, v)
  return m
}

/** Emoji/emoticon -> valence (VADER scale). Packs may add their own emoticons on top. */
export const SYMBOLS: ReadonlyMap<string, number> = buildSymbols()
