/** Kept in step with package.json by test/version.test.ts. Reading package.json at start-up would cost a file read and a JSON parse on every run. */
export const VERSION = '0.1.0';
