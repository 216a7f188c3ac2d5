import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/**
 * oci-core's own verdict on a LaunchInstanceDetails body: its TypeScript model, compiled.
 * Each body becomes `const b<i>: Wire<models.LaunchInstanceDetails> = <json>;` where Wire
 * turns the SDK's string enums into their string values (what JSON carries) and Date into
 * string; the compiler then refuses unknown fields (excess property check), wrong types,
 * enum values the SDK does not define and missing required fields, from oci-core's .d.ts
 * alone. One program for every body: compiling oci-core's typings takes a few seconds.
 */
const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '../..');

export function ociModelVerdicts(bodies: unknown[]): (string | undefined)[] {
  const lines = [
    `import type { models } from 'oci-core';`,
    'type Wire<T> = T extends string ? `${T}` : T extends number | boolean ? T : T extends Date ? string : T extends ReadonlyArray<infer U> ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;',
    ...bodies.map((b, i) => `export const b${i}: Wire<models.LaunchInstanceDetails> = ${JSON.stringify(b)};`),
  ];
  const file = join(ROOT, '__oci_conformance__.ts');
  const host = ts.createCompilerHost({});
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang, ...rest) =>
    f === file ? ts.createSourceFile(f, lines.join('\n'), lang) : read(f, lang, ...rest);
  const options = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: [],
  };
  const program = ts.createProgram([file], options, host);
  const verdicts: (string | undefined)[] = bodies.map(() => undefined);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (d.file?.fileName !== file || d.start === undefined)
      throw new Error(
        `compiling oci-core's model failed: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
      );
    const line = d.file.getLineAndCharacterOfPosition(d.start).line - 2;
    verdicts[line] ??= ts.flattenDiagnosticMessageText(d.messageText, ' ');
  }
  return verdicts;
}

/** The text of one of oci-core's model typings (for the ranges its doc comments state). */
export function ociModelDoc(file: string): string {
  const require = createRequire(join(ROOT, 'package.json'));
  return ts.sys.readFile(join(dirname(require.resolve('oci-core/package.json')), 'lib', 'model', file)) ?? '';
}
