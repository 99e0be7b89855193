// Throughput benchmark: routes (detectLanguage) and scores (scoreSentiment) synthetic
// mentions generated with a fixed seed - French, English and a few other languages, tweet
// length, with emoji, hashtags, mentions and links - for a few seconds on one core, and
// prints texts/s. Target: >= 10,000 texts/s. Run: tsx bench/sentiment.bench.ts

import { detectLanguage } from '../server/language'
import { scoreSentiment } from '../server/sentiment'
import { mulberry32 as rng } from '../server/random'

const SECONDS = 3
const TARGET = 10_000

const WORDS = {
  fr: (
    "le la les un une des du de et mais je j'ai tu il elle on nous vous ils c'est n'est pas " +
    'très trop vraiment un peu jamais plus rien sans service client appli livraison colis ' +
    'commande remboursement panne bug lent rapide génial nul super excellent honteux arnaque ' +
    'merci bravo déçu content satisfait problème attente toujours encore depuis hier semaine ' +
    'produit prix qualité boutique magasin site compte réponse injoignable scandale'
  ).split(' '),
  en: (
    "the a an and but i i've you he she we they it's isn't not don't very really so too never " +
    'nothing without customer service app delivery parcel order refund outage bug slow fast ' +
    'great terrible awesome awful scam thanks love hate disappointed happy problem waiting ' +
    'still again since yesterday week product price quality store website account answer'
  ).split(' '),
  other: (
    'el la los y pero muy servicio cliente producto gracias der die das und aber sehr ' +
    'kunde danke il lo e ma molto grazie prodotto de het en maar zeer bedankt'
  ).split(' '),
}
const EXTRAS = [
  '😡',
  '😍',
  '👍',
  ':)',
  ':(',
  '!!!',
  '?',
  '#fail',
  '#merci',
  '@marque',
  'https://t.co/x1',
]

function makeTexts(n: number, seed: number): string[] {
  const r = rng(seed)
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const x = r()
    const words = x < 0.55 ? WORDS.fr : x < 0.9 ? WORDS.en : WORDS.other
    const len = 4 + Math.floor(r() * 22)
    const parts: string[] = []
    for (let k = 0; k < len; k++) {
      let w = pick(words)
      if (r() < 0.05) w = w.toUpperCase()
      parts.push(w)
      if (r() < 0.08) parts.push(pick(EXTRAS))
      if (r() < 0.06) parts.push(',')
    }
    out.push(parts.join(' '))
  }
  return out
}

const texts = makeTexts(20_000, 42)
const vocabulary = { sick: 3, 'de ouf': 3 }

// Warm-up so the JIT has compiled the hot paths before timing.
for (let i = 0; i < 5_000; i++) scoreSentiment(texts[i], detectLanguage(texts[i]))

// Both clocks are reported: wall time, and this process's CPU time (one core), which stays
// meaningful when the machine is shared with other jobs.
let n = 0
let checksum = 0
const t0 = performance.now()
const cpu0 = process.cpuUsage()
const deadline = t0 + SECONDS * 1000
while (performance.now() < deadline) {
  for (let i = 0; i < 1_000; i++, n++) {
    const text = texts[n % texts.length]
    const s = scoreSentiment(text, detectLanguage(text), n % 10 === 0 ? { vocabulary } : undefined)
    checksum += s.score
  }
}
const wall = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(cpu0)
const cpuSeconds = (cpu.user + cpu.system) / 1e6
const rate = Math.round(n / cpuSeconds)
console.log(
  `sentiment: route + score ${n} texts, wall ${wall.toFixed(2)} s (${Math.round(n / wall)} texts/s), ` +
    `cpu ${cpuSeconds.toFixed(2)} s (checksum ${checksum.toFixed(3)})`,
)
console.log(
  `texts/s: ${rate} (one core, CPU time; target >= ${TARGET}: ${rate >= TARGET ? 'ok' : 'BELOW TARGET'})`,
)
