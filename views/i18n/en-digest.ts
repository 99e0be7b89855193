// English UI strings of one area (digest).
import type { digestFr } from './fr-digest'

export const digestEn: Record<keyof typeof digestFr, string> = {}
