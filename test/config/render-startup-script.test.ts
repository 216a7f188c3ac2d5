import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import {
  SCRIPT_TOKENS,
  fillStartupScript,
  scanStartupScript,
  unknownTokens,
} from '../../src/core/fields/startup-script.js';

describe('fillStartupScript (Python str.format semantics)', () => {
  it('replaces tokens and unescapes doubled braces', () => {
    const script = 'ID={server_id}\necho "${{ID}}" {{literal}} }}{{\nM={manager_token}';
    expect(fillStartupScript(script, { server_id: 'abc', manager_token: 'tok' })).toBe(
      'ID=abc\necho "${ID}" {literal} }{\nM=tok',
    );
  });

  it('handles a token wrapped in escaped braces: {{{server_id}}} → {value}', () => {
    expect(fillStartupScript('{{{server_id}}}', { server_id: 'x' })).toBe('{x}');
  });

  it('leaves a script without fields as is (apart from escapes)', () => {
    expect(fillStartupScript('#!/bin/bash\necho hi\n', {})).toBe('#!/bin/bash\necho hi\n');
  });

  it('does not re-interpret braces inside token values', () => {
    expect(fillStartupScript('{server_id}', { server_id: '{{x}}' })).toBe('{{x}}');
  });

  it.each([
    ['echo ${HOME}', /line 1:7: \{HOME\} is not a token Kasm fills/],
    ['a\nb }', /line 2:3: single '}'/],
    ['x {server_id', /'\{' is never closed/],
    ['{}', /positional field/],
    ['{server_id!r}', /format spec/],
  ])('refuses %j as Python would', (script, message) => {
    expect(() => fillStartupScript(script, { server_id: 'x' })).toThrow(InputError);
    expect(() => fillStartupScript(script, { server_id: 'x' })).toThrow(message);
  });
});

describe('scanStartupScript / unknownTokens', () => {
  it('knows the Kasm token list', () => {
    expect(SCRIPT_TOKENS).toEqual([
      'server_id',
      'provider_name',
      'manager_token',
      'upstream_auth_address',
      'server_hostname',
      'server_external_fqdn',
      'nginx_cert_in',
      'nginx_key_in',
    ]);
  });

  it('lists unknown names once, in order, ignoring escaped braces', () => {
    expect(unknownTokens('{server_id} ${HOME} ${{OK}} {HOME} {x}')).toEqual(['HOME', 'x']);
    expect(unknownTokens(SCRIPT_TOKENS.map((t) => `{${t}}`).join(' '))).toEqual([]);
  });

  it('reports positions of fields and syntax errors', () => {
    const { fields, errors } = scanStartupScript('a\n  {server_id}\n}');
    expect(fields).toEqual([{ name: 'server_id', index: 4, line: 2, column: 3 }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 3, column: 1 });
  });
});
