import { describe, expect, it } from 'vitest';
import { findSections, splitLines, upsertSection as upsertBytes } from '../../src/clouds/oci/ini.js';

/** The byte-level editor on text (latin1 in and out, so bytes map 1:1 to chars). */
const upsertSection = (text: string, name: string, e: Array<[string, string]>) =>
  upsertBytes(Buffer.from(text, 'latin1'), name, e).toString('latin1');

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
    expect(out).toBe(
      [
        '# top',
        '[A]',
        'user=a',
        '',
        '[DEFAULT]',
        'user=U',
        'key_file=/k.pem',
        '',
        '# about B',
        '[B]',
        'user=b ; not a comment in values',
        '',
      ].join('\n'),
    );
  });

  it('keeps CRLF line ends and bytes that are not UTF-8 outside the section, and uses CRLF for the new one', () => {
    const text = '[A]\r\nuser=a\r\n# caf\xe9 (latin1)\r\n[B]\r\nuser=b\r\n';
    expect(upsertSection(text, 'B', entries)).toBe(
      '[A]\r\nuser=a\r\n# caf\xe9 (latin1)\r\n[B]\r\nuser=U\r\nkey_file=/k.pem\r\n',
    );
    expect(upsertSection(text, 'C', entries)).toBe(`${text}\r\n[C]\r\nuser=U\r\nkey_file=/k.pem\r\n`);
    // A last line without a line end gets one before the new section.
    expect(upsertSection('[A]\nuser=a', 'C', entries)).toBe('[A]\nuser=a\n\n[C]\nuser=U\nkey_file=/k.pem\n');
    expect(upsertSection('[A]\nuser=a', 'A', entries)).toBe('[A]\nuser=U\nkey_file=/k.pem\n');
  });

  it('writes new values as UTF-8', () => {
    const out = upsertBytes(Buffer.from('[A]\n'), 'B', [['key_file', '/home/zoë/k.pem']]);
    expect(out.toString('utf8')).toBe('[A]\n\n[B]\nkey_file=/home/zoë/k.pem\n');
  });

  it('finds duplicate sections and treats names case-sensitively', () => {
    const lines = splitLines('[X]\na=1\n[x]\n[ X ]\nb=2\n');
    expect(findSections(lines, 'X')).toEqual([
      { start: 0, end: 2 },
      { start: 3, end: 5 },
    ]);
  });
});
