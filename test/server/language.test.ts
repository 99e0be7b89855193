// Routing of short texts (titles, tweets, one-word replies, mixed) to fr / en / other.

import { describe, expect, it } from 'vitest'
import { detectLanguage, type Lang } from '../../server/language'

const cases: [string, Lang][] = [
  // tweets
  ['Super produit, je le recommande à tous mes amis', 'fr'],
  ["Le service client ne répond jamais, c'est honteux", 'fr'],
  ['Great product, I love it and would buy it again', 'en'],
  ['The customer service never answers, what a disgrace', 'en'],
  ['@user RT Livraison reçue en 24h, merci ! https://t.co/abc', 'fr'],
  ['@user Thanks for the quick delivery! https://t.co/abc', 'en'],
  // titles
  ['Nouveau MacBook Pro : le test', 'fr'],
  ['iPhone 15 Pro review', 'en'],
  ['Test du Samsung Galaxy S24 Ultra : que vaut-il ?', 'fr'],
  ['Service client injoignable', 'fr'],
  ['Customer service unreachable', 'en'],
  // one or two words
  ['Merci !', 'fr'],
  ['Bonjour', 'fr'],
  ['Thanks!', 'en'],
  ['Hello', 'en'],
  // mixed: mostly French with English brand words
  ['Le nouveau smartphone est sorti, le design est top', 'fr'],
  ['Je kiffe trop la new collection de sneakers', 'fr'],
  // other languages are never forced into fr/en
  ['Hola, ¿cómo estás? Muy buen producto', 'other'],
  ['Das ist wirklich ein gutes Produkt', 'other'],
  ['Questo prodotto è fantastico, lo consiglio', 'other'],
  ['Buenos días a todos', 'other'],
  ['Guten Morgen zusammen', 'other'],
  // no letters, or no language: 'other'
  ['😂😂😂', 'other'],
  ['123 456', 'other'],
  ['@user https://t.co/xyz', 'other'],
  ['', 'other'],
  ['ok', 'other'],
  ['lol', 'other'],
]

describe('detectLanguage', () => {
  it.each(cases)('%s -> %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang)
  })
})
