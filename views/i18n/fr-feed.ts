// French UI strings of one area (feed); merged into the main dictionary.
export const feedFr = {}
