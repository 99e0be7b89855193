// Sentiment (provisional: English through wink-sentiment, French not yet scored; issue 4 brings
// the measured French scorer).
import winkSentiment from 'wink-sentiment'
import type { Lang } from './language'

export type SentimentLabel = 'positive' | 'neutral' | 'negative'
export interface Sentiment {
  score: number
  label: SentimentLabel
  scored: boolean
}
export interface ScoreOptions {
  vocabulary?: Record<string, number>
  ratingHint?: number
}

export function labelFor(score: number): SentimentLabel {
  return score >= 0.1 ? 'positive' : score <= -0.1 ? 'negative' : 'neutral'
}

export function scoreSentiment(text: string, lang: Lang, _opts: ScoreOptions = {}): Sentiment {
  if (lang !== 'en') return { score: 0, label: 'neutral', scored: false }
  const { normalizedScore } = winkSentiment(text)
  const score = Math.round(Math.max(-1, Math.min(1, normalizedScore / 5)) * 1000) / 1000
  return { score, label: labelFor(score), scored: true }
}
