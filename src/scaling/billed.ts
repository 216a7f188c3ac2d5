/** Instance states the clouds bill: every state but stopped and terminated (a booting or terminating instance is billed too). */
const NOT_BILLED = new Set(['stopped', 'terminated']);

export const isBilled = (state: string): boolean => !NOT_BILLED.has(state);
