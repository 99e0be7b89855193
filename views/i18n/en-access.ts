// English UI strings of one area (access).
import type { accessFr } from './fr-access'

export const accessEn: Record<keyof typeof accessFr, string> = {}
