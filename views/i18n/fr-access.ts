// French UI strings of one area (access); merged into the main dictionary.
export const accessFr = {}
