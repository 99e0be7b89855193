// English UI strings of one area (feed).
import type { feedFr } from './fr-feed'

export const feedEn: Record<keyof typeof feedFr, string> = {}
