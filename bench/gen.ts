// Deterministic generators for benchmarks: tweet-length texts in French and English, a given
// share of which name the benchmark brands.
import { mulberry32 as rng } from '../server/random'

const EN =
  'the service was great today but delivery took forever and support never answered my question about the new plan price update app crashed again love this team awful experience refund please thanks for the quick fix'.split(
    ' ',
  )
const FR =
  'le service était super aujourd’hui mais la livraison a pris une éternité et le support ne répond jamais à ma question sur le nouveau forfait prix appli plantée encore merci pour la réparation rapide nul remboursement'.split(
    ' ',
  )
const BRANDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli']

export function makeItems(n: number, seed: number, matchShare = 0.2) {
  const rand = rng(seed)
  const items = []
  for (let i = 0; i < n; i++) {
    const words = rand() < 0.5 ? FR : EN
    const len = 12 + Math.floor(rand() * 22)
    const out: string[] = []
    for (let w = 0; w < len; w++) out.push(words[Math.floor(rand() * words.length)])
    if (rand() < matchShare)
      out.splice(Math.floor(rand() * out.length), 0, BRANDS[Math.floor(rand() * BRANDS.length)])
    items.push({
      externalId: `bench-${seed}-${i}`,
      url: `https://social.example/status/${seed}-${i}`,
      title: '',
      text: out.join(' ').slice(0, 280),
      author: `@user${Math.floor(rand() * 5000)}`,
      publishedAt: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
      metrics: { likes: Math.floor(rand() * 100) },
    })
  }
  return items
}

export const BENCH_BRANDS = BRANDS.map((name) => ({
  name,
  query: `"${name}" OR ${name.toLowerCase()}app -"${name} Road"`,
}))
