import { scanStartupScript, SCRIPT_TOKENS } from '../render/startup-script.js';

/**
 * Checks of a startup script that do not depend on other fields: Kasm fills it with
 * Python's str.format, so any field Python would refuse, or a `{name}` Kasm has no value
 * for, breaks every launch (the agent never registers). Returns one message per problem.
 */
export function startupScriptProblems(script: string): string[] {
  const { fields, errors } = scanStartupScript(script);
  const out = errors.map((e) => `startup script line ${e.line}:${e.column}: ${e.message}`);
  const known = new Set<string>(SCRIPT_TOKENS);
  for (const f of fields) {
    if (f.spec !== undefined) out.push(`startup script line ${f.line}:${f.column}: {${f.name}${f.spec}} has a conversion or format spec; expected a plain {token}`);
    else if (!known.has(f.name))
      out.push(
        `startup script line ${f.line}:${f.column}: {${f.name}} is not a token Kasm fills (Python str.format raises KeyError and the launch breaks); expected one of ${SCRIPT_TOKENS.map((t) => `{${t}}`).join(', ')}, or a literal brace written doubled (\${{${f.name}}})`,
      );
  }
  return out;
}
