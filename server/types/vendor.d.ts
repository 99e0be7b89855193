// Type declarations for dependencies that ship none.
declare module 'wink-sentiment' {
  interface Token {
    value: string
    tag: string
    score?: number
    negation?: boolean
  }
  interface Result {
    score: number
    normalizedScore: number
    tokenizedPhrase: Token[]
  }
  export default function sentiment(phrase: string): Result
}
