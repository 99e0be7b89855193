// French UI strings of one area (alerts); merged into the main dictionary.
export const alertsFr = {}
