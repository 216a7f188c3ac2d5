import { describe, expect, it } from 'vitest';
import { findSections, splitLines, upsertSection } from '../../src/keys/ini.js';

const entries: Array<[string, string]> = [
  ['user', 'U'],
  ['key_file', '/k.pem'],
];

describe('upsertSection', () => {
  it('creates a file', () => {
    expect(upsertSection('', 'DEFAULT', entries)).toBe('[DEFAULT]\nuser=U\nkey_file=/k.pem\n');
  });

  it('appends a new profile after one blank line, keeping everything else byte for byte', () => {
    const text = '# my config\n[DEFAULT]\nuser = old\n  # indented comment\nregion=us-ashburn-1\n';
    expect(upsertSection(text, 'KASM', entries)).toBe(`${text}\n[KASM]\nuser=U\nkey_file=/k.pem\n`);
    expect(upsertSection(`${text}\n`, 'KASM', entries)).toBe(`${text}\n[KASM]\nuser=U\nkey_file=/k.pem\n`);
  });

  it('replaces a profile in the middle, keeping the others, their comments and order', () => {
    const text = [
      '# top',
      '[A]',
      'user=a',
      '',
      '[DEFAULT]',
      'user=old',
      'pass_phrase=old',
      '',
      '# about B',
      '[B]',
      'user=b ; not a comment in values',
      '',
    ].join('\n');
    const out = upsertSection(text, 'DEFAULT', entries);
    expect(out).toBe(['# top', '[A]', 'user=a', '', '[DEFAULT]', 'user=U', 'key_file=/k.pem', '', '# about B', '[B]', 'user=b ; not a comment in values', ''].join('\n'));
  });

  it('replaces the last profile and keeps CRLF files readable', () => {
    const text = '[A]\r\nuser=a\r\n[B]\r\nuser=b\r\n';
    expect(upsertSection(text, 'B', entries)).toBe('[A]\nuser=a\n[B]\nuser=U\nkey_file=/k.pem\n');
  });

  it('finds duplicate sections and treats names case-sensitively', () => {
    const lines = splitLines('[X]\na=1\n[x]\n[ X ]\nb=2\n');
    expect(findSections(lines, 'X')).toEqual([
      { start: 0, end: 2 },
      { start: 3, end: 5 },
    ]);
  });
});
