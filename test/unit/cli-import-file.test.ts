import { describe, expect, test } from '@jest/globals';
import { parseCsvRecords } from '../../server/cli/csv-records.js';
import { detectFormat, parseImportFile } from '../../server/cli/import-file.js';

describe('parseCsvRecords', () => {
  test('quoted fields keep commas, doubled quotes and line breaks; empty lines are skipped', () => {
    const parsed = parseCsvRecords('\ufeffa@x,"p,w"\r\n\r\nb@x,"say ""hi"""\nc@x,"two\nlines"\n');
    expect(parsed).toEqual({ ok: true, value: [
      { line: 1, fields: ['a@x', 'p,w'] },
      { line: 3, fields: ['b@x', 'say "hi"'] },
      { line: 4, fields: ['c@x', 'two\nlines'] },
    ] });
  });

  test('an unterminated quote names its line', () => {
    expect(parseCsvRecords('a@x,pw\nb@x,"open\n')).toEqual({ ok: false, error: 'line 2: a quoted field is not closed' });
  });
});

describe('parseImportFile', () => {
  test('JSON: JIDs are normalised, groups de-duplicated, subscription defaults to none', () => {
    const parsed = parseImportFile(JSON.stringify({ users: [{
      jid: 'Alice@Example.COM', password: 'pw', roster: [{ jid: 'Bob@Example.com', groups: ['A', 'A', 'B'], name: '' }],
    }] }), 'json');
    if (!parsed.ok) throw new Error(parsed.error.join('\n'));
    const [alice] = parsed.value;
    expect(alice?.jid.toString()).toBe('alice@example.com');
    expect(alice?.roster?.map((c) => ({ ...c, jid: c.jid.toString() }))).toEqual([
      { jid: 'bob@example.com', groups: ['A', 'B'], subscription: 'none' },
    ]);
  });

  test('JSON: shape errors carry their path; duplicate contacts are reported', () => {
    const bad = parseImportFile(JSON.stringify({ users: [{ jid: 'a@x', password: '' }] }), 'json');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error[0]).toMatch(/^users\.0\.password: /);
    const twice = parseImportFile(JSON.stringify({ users: [{ jid: 'a@x', password: 'p', roster: [{ jid: 'b@x' }, { jid: 'B@x' }] }] }), 'json');
    expect(twice).toEqual({ ok: false, error: ['users.0 (a@x): roster.1: b@x is listed twice'] });
  });

  test('CSV: a header line is skipped; a line without a password is an error', () => {
    const parsed = parseImportFile('jid,password\na@x,pw\n', 'csv');
    expect(parsed.ok && parsed.value.map((e) => [e.jid.toString(), e.password, e.roster])).toEqual([['a@x', 'pw', undefined]]);
    expect(parseImportFile('a@x,pw\nb@x\n', 'csv')).toEqual({ ok: false, error: ['line 2: expected two fields, jid,password'] });
  });

  test('format from the extension, else from the first character', () => {
    expect(detectFormat('users.CSV', '{')).toBe('csv');
    expect(detectFormat('users.json', 'a,b')).toBe('json');
    expect(detectFormat('users.txt', '  {"users":[]}')).toBe('json');
    expect(detectFormat('users.txt', 'a@x,pw')).toBe('csv');
  });
});
