import { describe, expect, test } from '@jest/globals';
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { comparisonTable } from '../../bench/compare-table.js';
import { ejabberdConfigText, ejabberdPaths, erlArguments, erlLibsFromEjabberdctl, importExpression } from '../../bench/support/ejabberd-config.js';
import { accountTerms } from '../../bench/support/ejabberd-data.js';
import { parseRunFlags } from '../../bench/support/run-flags.js';

const certificate = { certificate: '/w/certs/localhost.crt', key: '/w/certs/localhost.key' };

describe('ejabberd config', () => {
  test('one c2s listener on loopback with optional STARTTLS, no shaper, SCRAM-SHA-1 stored, MUC rooms above 200', () => {
    const text = ejabberdConfigText({ port: 40123, certificate });
    expect(text).toContain('  - port: 40123\n    ip: "127.0.0.1"\n    module: ejabberd_c2s\n');
    expect(text).toContain('    starttls: true\n    starttls_required: false\n');
    expect(text).toContain('    shaper: none\n');
    expect(text).toContain('auth_password_format: scram\nauth_scram_hash: sha\n');
    expect(text).toContain('  c2s_shaper: none\n');
    expect(text).toContain('  - "/w/certs/localhost.crt"\n  - "/w/certs/localhost.key"\n');
    expect(text).toMatch(/mod_muc:\n {4}host: "conference\.localhost"\n[\s\S]*history_size: 0\n {4}max_users: 1000\n/);
    expect(text.match(/^ {2}- port:/gm)).toHaveLength(1);
  });

  test('the import config listens nowhere', () => {
    const text = ejabberdConfigText({ port: undefined, certificate });
    expect(text).toContain('listen: []\n');
    expect(text).not.toContain('ejabberd_c2s');
  });

  test('erl runs undistributed on one scheduler, Mnesia in the spool, the import evaluated after the start', () => {
    const paths = ejabberdPaths('/w');
    const args = erlArguments(paths, 'init:stop().');
    expect(args).toEqual(expect.arrayContaining(['+S', '1:1', '+SDcpu', '1:1']));
    expect(args.slice(args.indexOf('-mnesia'), args.indexOf('-mnesia') + 3)).toEqual(['-mnesia', 'dir', '"/w/spool"']);
    expect(args.slice(-4)).toEqual(['-s', 'ejabberd', '-eval', 'init:stop().']);
    expect(args).not.toContain('-sname');
    expect(args).not.toContain('-name');
    expect(erlArguments(paths)).not.toContain('-eval');
    expect(() => erlArguments(ejabberdPaths('/w/"x'))).toThrow('unsupported characters');
    expect(importExpression(paths)).toContain('file:consult("/w/accounts.eterm")');
    expect(importExpression(paths)).toContain('{scram, StoredKey, ServerKey, Salt, sha, 4096}');
  });

  test("ERL_LIBS comes from Debian's ejabberdctl, with a default when it cannot be read", () => {
    expect(erlLibsFromEjabberdctl("EPMD=\"/usr/bin/epmd\"\nERL_LIBS='/usr/lib/aarch64-linux-gnu'\nERL_CRASH_DUMP=x\n")).toBe('/usr/lib/aarch64-linux-gnu');
    expect(erlLibsFromEjabberdctl('')).toBe('/usr/lib/x86_64-linux-gnu');
  });
});

describe('ejabberd accounts', () => {
  test('terms hold base64 StoredKey, ServerKey and salt as ejabberd_auth stores them, and roster contacts by name', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const text = await accountTerms({
      jid: 'ruser1@localhost', password: 'pw', roster: [{ jid: 'ruser38@localhost', subscription: 'both', groups: ['Bench'] }],
    }, salt, 4096);
    const salted = pbkdf2Sync('pw', salt, 4096, 20, 'sha1');
    const stored = createHash('sha1').update(createHmac('sha1', salted).update('Client Key').digest()).digest('base64');
    const server = createHmac('sha1', salted).update('Server Key').digest('base64');
    expect(text).toBe(`{user, <<"ruser1">>, <<"${stored}">>, <<"${server}">>, <<"${salt.toString('base64')}">>}.\n{roster, <<"ruser1">>, [<<"ruser38">>]}.\n`);
    await expect(accountTerms({ jid: 'a"b@localhost', password: 'pw' }, salt, 1)).rejects.toThrow('not a plain ASCII name');
  });
});

describe('three servers in the comparison', () => {
  test('a median column per server and Salon/Prosody and Salon/ejabberd ratios', () => {
    const line = (target: string, value: number) => ({
      scenario: 'muc-10', value, unit: 'stanzas/s', serverCpu: 1, loadGeneratorCpu: 0.5, otherCpu: 0.1, target, params: {},
    });
    const table = comparisonTable([line('salon', 60_000), line('prosody', 8_000), line('ejabberd', 20_000), line('ejabberd', 24_000)]);
    expect(table).toContain('| scenario | unit | Salon median | Prosody median | ejabberd median | Salon/Prosody | Salon/ejabberd | better | runs | CPU server/loadgen (S; P; E) | max otherCpu |');
    expect(table).toContain('| muc-10 | stanzas/s | 60,000 | 8,000 | 22,000 | 7.50× | 2.73× | higher | 1+1+2 | 1.00 / 0.50; 1.00 / 0.50; 1.00 / 0.50 | 0.10 |');
    expect(comparisonTable([line('salon', 1), line('ejabberd', 2)])).toContain('| muc-10 | stanzas/s | 1.000 | 2.000 | 0.50× | higher | 1+1 |');
  });

  test('--target ejabberd needs --ejabberd-dir', () => {
    expect(parseRunFlags(['--target', 'ejabberd'])).toEqual({ ok: false, error: expect.stringContaining('--ejabberd-dir') });
    expect(parseRunFlags(['--target', 'openfire'])).toEqual({ ok: false, error: expect.stringContaining('salon, prosody, ejabberd') });
    const flags = parseRunFlags(['--target', 'ejabberd', '--ejabberd-dir', '/tmp/e']);
    expect(flags.ok && [flags.value.target, flags.value.ejabberdDir]).toEqual(['ejabberd', '/tmp/e']);
  });
});
