// French UI strings of one area (digest); merged into the main dictionary.
export const digestFr = {}
