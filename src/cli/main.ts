import { buildProgram } from './program.js';
import { quietSdkNoise } from './quiet.js';

export async function main(argv: string[]): Promise<void> {
  quietSdkNoise();
  await buildProgram().parseAsync(argv);
}
