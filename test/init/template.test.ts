import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fillStartupScript, SCRIPT_TOKENS } from '../../src/core/fields/startup-script.js';
import { ociFields } from '../../src/clouds/oci/schema.js';
import { startupScriptProblems } from '../../src/core/fields/startup-script-schema.js';
import { DOCKER_AGENT_STARTUP_SCRIPT } from '../../src/init/templates/docker-agent.js';

/** The Docker agent template `init` offers must survive Kasm's str.format fill and be valid bash. */
describe('Docker agent startup script template', () => {
  const tokens = Object.fromEntries(SCRIPT_TOKENS.map((t) => [t, `<${t}>`]));

  it('passes the config validator (tokens Kasm knows, braces doubled) and fits OCI user data', () => {
    expect(startupScriptProblems(DOCKER_AGENT_STARTUP_SCRIPT)).toEqual([]);
    expect(ociFields.startup_script.safeParse(DOCKER_AGENT_STARTUP_SCRIPT).success).toBe(true);
  });

  it('filled as Kasm fills it: the install line gets the tokens and the shell gets single braces', () => {
    const filled = fillStartupScript(DOCKER_AGENT_STARTUP_SCRIPT, tokens);
    expect(filled).toContain('-i "<server_id>"');
    expect(filled).toContain('-M "<manager_token>"');
    expect(filled).toContain('"${SWAP_SIZE_GB}G"');
    expect(filled).toContain("awk '{print $1}'");
    expect(filled).not.toMatch(/\{\{|\}\}/);
  });

  it('the filled script is valid bash (bash -n)', () => {
    const filled = fillStartupScript(DOCKER_AGENT_STARTUP_SCRIPT, tokens);
    expect(() => execFileSync('bash', ['-n'], { input: filled })).not.toThrow();
  });
});
