// Upper-tail probabilities for count tests, returned as -log10 p so tiny p-values don't underflow.
// Method: negative-binomial tail through the regularised incomplete beta function
// (P(X >= k) = I_q(k, r), q = m / (r + m)), evaluated with the Lentz continued fraction of
// Numerical Recipes (Press et al., 3rd ed., §6.4); log-gamma by Lanczos (g = 7). The beta-binomial
// tail (share test) is summed term by term with the pmf ratio and a geometric bound on the rest.

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
]

export function lgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x)
  x -= 1
  let a = LANCZOS[0]
  const t = x + 7.5
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i)
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a)
}

const lbeta = (a: number, b: number) => lgamma(a) + lgamma(b) - lgamma(a + b)

/** Continued fraction for I_x(a, b) (modified Lentz); converges fast for x < (a+1)/(a+b+2). */
function betacf(a: number, b: number, x: number): number {
  const TINY = 1e-300
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m <= 10000; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < 1e-12) break
  }
  return h
}

/**
 * Natural log of the regularised incomplete beta I_x(a, b). `log1mx` = ln(1 - x) is passed in
 * so callers can keep precision when x is close to 1.
 */
export function logIncBeta(x: number, a: number, b: number, log1mx = Math.log1p(-x)): number {
  if (x <= 0) return -Infinity
  if (x >= 1) return 0
  const front = a * Math.log(x) + b * log1mx - lbeta(a, b)
  if (x < (a + 1) / (a + b + 2)) return front + Math.log(betacf(a, b, x)) - Math.log(a)
  // symmetry I_x(a,b) = 1 - I_{1-x}(b,a); here the result is not small, precision is ample
  const other = Math.exp(front + Math.log(betacf(b, a, 1 - x)) - Math.log(b))
  return Math.log(Math.max(1e-300, 1 - other))
}

const LN10 = Math.LN10

/**
 * -log10 P(X >= k) for X ~ NegBin(mean m, size r) (variance m + m²/r). k may be fractional
 * (it is rounded up: counts are integers). Returns 0 when k <= 0.
 */
export function nbTailScore(k: number, m: number, r: number): number {
  const kk = Math.ceil(k - 1e-9)
  if (kk <= 0) return 0
  if (m <= 0) return 300 // nothing expected, something seen: cap (callers gate on minCount)
  const x = m / (r + m)
  const log1mx = Math.log(r / (r + m))
  return Math.min(300, -logIncBeta(x, kk, r, log1mx) / LN10)
}

/**
 * -log10 P(K >= k) for K ~ BetaBinomial(n, alpha, beta). Sums the pmf from k upward with the
 * ratio pmf(j+1)/pmf(j); once the ratio falls below 1 and keeps falling (the tail of a
 * log-concave pmf), the remainder is bounded by a geometric series and the sum stops.
 */
export function betaBinomTailScore(k: number, n: number, alpha: number, beta: number): number {
  const kk = Math.ceil(k - 1e-9)
  if (kk <= 0) return 0
  if (kk > n) return 300
  const logPmf =
    lgamma(n + 1) -
    lgamma(kk + 1) -
    lgamma(n - kk + 1) +
    lbeta(kk + alpha, n - kk + beta) -
    lbeta(alpha, beta)
  let term = 1 // relative to pmf(kk)
  let sum = 1
  for (let j = kk; j < n; j++) {
    const ratio = ((n - j) / (j + 1)) * ((j + alpha) / (n - j - 1 + beta))
    term *= ratio
    sum += term
    if (term < 1e-12 * sum) break
    if (ratio < 0.5 && j - kk > 50) {
      sum += (term * ratio) / (1 - ratio)
      break
    }
  }
  return Math.min(300, Math.max(0, -(logPmf + Math.log(sum)) / LN10))
}
