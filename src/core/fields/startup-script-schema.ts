import { scanStartupScript, SCRIPT_TOKENS } from './startup-script.js';
import { closest } from './common.js';

/**
 * Checks of a startup script that hold whoever launches with it (Kasm's own autoscaler or
 * kasm-scale): Kasm fills it with Python's str.format, so a malformed brace (ValueError)
 * or a `{name}` Kasm has no value for (KeyError) breaks every launch and the agent never
 * registers. Returns one message per problem, each naming its line in the script. The
 * checks that depend on who launches (tokens kasm-scale cannot fill, the manager token)
 * are in ../checks/startup-script.ts.
 */
export function startupScriptProblems(script: string): string[] {
  const { fields, errors } = scanStartupScript(script);
  const out = errors.map((e) => `startup script line ${e.line}:${e.column}: ${e.message}`);
  const known = new Set<string>(SCRIPT_TOKENS);
  const unknown = new Map<string, typeof fields>();
  for (const f of fields) {
    if (f.spec !== undefined)
      out.push(
        `startup script line ${f.line}:${f.column}: {${f.name}${f.spec}} has a conversion or format spec; expected a plain {token}`,
      );
    else if (!known.has(f.name)) unknown.set(f.name, [...(unknown.get(f.name) ?? []), f]);
  }
  // One problem per name, at its first use: a script that writes ${HOME} ten times has one mistake.
  for (const [name, [first, ...rest]] of unknown) {
    const near = guessToken(name);
    const also = rest.length
      ? ` (also on line${rest.length > 1 ? 's' : ''} ${[...new Set(rest.map((f) => f.line))].join(', ')})`
      : '';
    out.push(
      `startup script line ${first.line}:${first.column}: {${name}} is not a token Kasm fills (str.format would fail every launch)${also}; ${near ? `did you mean {${near}}? ` : ''}a literal brace is written doubled: \${{${name}}}`,
    );
  }
  return out;
}

/** A slip ({sever_id}) or a part of a token's name ({provider}, {hostname}). */
function guessToken(name: string): string | undefined {
  const lower = name.toLowerCase();
  return (
    closest(name, SCRIPT_TOKENS) ??
    (lower.length >= 4 ? SCRIPT_TOKENS.find((t) => t.includes(lower)) : undefined)
  );
}
