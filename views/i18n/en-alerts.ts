// English UI strings of one area (alerts).
import type { alertsFr } from './fr-alerts'

export const alertsEn: Record<keyof typeof alertsFr, string> = {}
