/** What Kasm answers instead of a stored secret. */
export const MASKED = '**********';
