import { describe, expect, test } from '@jest/globals';
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { benchImportUsers, contactStride, rosterContacts } from '../../bench/support/bench-data.js';
import { comparisonTable, median } from '../../bench/compare-table.js';
import { parseProcPidStat, parseVmRss } from '../../bench/support/proc-stats.js';
import { accountFile, prosodyEncode, rosterFile } from '../../bench/support/prosody-data.js';
import { parseRunFlags } from '../../bench/support/run-flags.js';
import { accountsFor, QUICK_SCENARIOS } from '../../bench/support/scenarios.js';
import { ScramKeyCache } from '../../bench/support/scram-client.js';

describe('bench accounts', () => {
  test('roster contacts are distinct, never the user, and mutual', () => {
    const count = 1000;
    for (const index of [0, 1, 499, 999]) {
      const contacts = rosterContacts(index, count, 100);
      expect(new Set(contacts).size).toBe(100);
      expect(contacts).not.toContain(index);
      for (const contact of contacts) expect(rosterContacts(contact, count, 100)).toContain(index);
    }
    expect(contactStride(74)).toBe(39); // 37 and 38 share a factor with 74
    expect(() => rosterContacts(0, 10, 10)).toThrow(RangeError);
  });

  test('the import list has plain users first, then roster users with subscription both', () => {
    const users = [...benchImportUsers({ plain: 2, withRoster: 4, rosterSize: 2 })];
    expect(users.map((u) => u.jid)).toEqual(['user0@localhost', 'user1@localhost', 'ruser0@localhost', 'ruser1@localhost', 'ruser2@localhost', 'ruser3@localhost']);
    expect(users[0]?.roster).toBeUndefined();
    expect(users[2]?.roster).toEqual([
      { jid: 'ruser1@localhost', subscription: 'both', groups: ['Bench'] },
      { jid: 'ruser3@localhost', subscription: 'both', groups: ['Bench'] },
    ]);
    expect(accountsFor(QUICK_SCENARIOS)).toEqual({ plain: 1000, withRoster: 0, rosterSize: 0, pepContacts: 0 });
    expect(accountsFor(['roster-100', 'msg'])).toEqual({ plain: 100, withRoster: 1000, rosterSize: 100, pepContacts: 0 });
    expect(accountsFor(['pep-fanout'])).toEqual({ plain: 0, withRoster: 0, rosterSize: 0, pepContacts: 200 });
  });
});

describe('Prosody data files', () => {
  test('account files hold RFC 5802 StoredKey and ServerKey in hex, as mod_auth_internal_hashed does', async () => {
    const text = await accountFile('pw', 'some-salt', 4096);
    const salted = pbkdf2Sync('pw', 'some-salt', 4096, 20, 'sha1');
    const stored = createHash('sha1').update(createHmac('sha1', salted).update('Client Key').digest()).digest('hex');
    expect(text).toContain(`["stored_key"] = "${stored}";`);
    expect(text).toContain('["iteration_count"] = 4096;');
    expect(text).toContain('["salt"] = "some-salt";');
  });

  test('roster files and file names', () => {
    expect(rosterFile([{ jid: 'a@localhost', subscription: 'both', groups: ['G'] }])).toBe(
      'return {\n\t[false] = { ["version"] = 1; ["pending"] = {}; };\n\t["a@localhost"] = { ["subscription"] = "both"; ["groups"] = { ["G"] = true; }; };\n};\n',
    );
    expect(prosodyEncode('conference.localhost')).toBe('conference%2elocalhost');
    expect(prosodyEncode('user7')).toBe('user7');
  });
});

describe('process stats and tables', () => {
  test('/proc parsing: CPU ticks after a name with spaces and parentheses, RSS in kB', () => {
    const stat = '4242 (lua5.4 (x) y) S 1 2 3 0 -1 4194304 126 0 0 0 250 75 0 0 20 0 1 0 477761';
    expect(parseProcPidStat(stat)).toEqual({ user: 2_500_000, system: 750_000 });
    expect(parseVmRss('Name:\tprosody\nVmRSS:\t   17096 kB\nThreads: 1\n')).toBe(17096 * 1024);
  });

  test('medians and the Salon/Prosody ratio per scenario and mechanism', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const line = (target: string, value: number, mechanism: string) => ({
      scenario: 'login', value, unit: 'logins/s', serverCpu: 1, loadGeneratorCpu: 0.5, otherCpu: 0.1, target, params: { mechanism },
    });
    const table = comparisonTable([
      line('salon', 900, 'PLAIN'), line('salon', 1100, 'PLAIN'), line('salon', 1000, 'PLAIN'), line('prosody', 500, 'PLAIN'),
      line('salon', 10, 'SCRAM-SHA-1'),
    ]);
    expect(table).toContain('| login PLAIN | logins/s | 1,000 | 500 | 2.00× | higher | 3+1 |');
    expect(table).toContain('| login SCRAM-SHA-1 | logins/s | 10.0 | — | — |');
  });
});

describe('bench/run.ts flags', () => {
  test('defaults, the quick subset, and errors that name the flag', () => {
    const quick = parseRunFlags(['--quick']);
    expect(quick.ok && quick.value.scenarios).toEqual(['login', 'msg', 'muc-50', 'idle-1k']);
    expect(parseRunFlags(['--scenarios', 'msg,nope'])).toEqual({ ok: false, error: expect.stringContaining('"nope" is not one of') });
    expect(parseRunFlags(['--target', 'prosody'])).toEqual({ ok: false, error: expect.stringContaining('--prosody-dir') });
    const prosody = parseRunFlags(['--target', 'prosody', '--prosody-dir', '/tmp/p', '--rep', '2', '--no-pin']);
    expect(prosody.ok && [prosody.value.target, prosody.value.rep, prosody.value.pin]).toEqual(['prosody', 2, false]);
  });
});

describe('SCRAM key cache persistence', () => {
  test('restored keys are found by salt, and restored users need no priming', async () => {
    const cache = new ScramKeyCache();
    const server = { nonce: 'n', salt: Buffer.from('salt'), iterations: 4096 };
    const keys = await cache.keys('SCRAM-SHA-1', 'pw', server, 'user1');
    const restored = new ScramKeyCache();
    restored.restore(JSON.parse(JSON.stringify(await cache.export())));
    expect(restored.has('SCRAM-SHA-1', 'user1')).toBe(true);
    expect(restored.has('SCRAM-SHA-1', 'user2')).toBe(false);
    expect(await restored.keys('SCRAM-SHA-1', 'pw', server)).toEqual(keys);
  });
});
