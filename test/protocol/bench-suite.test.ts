/**
 * The benchmark suite's moving parts against a real Salon process (the built package): accounts
 * and rosters made by `salon import`, the server on that data directory with a MUC service, and
 * the roster-login, idle-session and MUC fan-out measurements on a small scale.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchTarget } from '../../bench/support/bench-target.js';
import { runIdleLoad } from '../../bench/support/idle-load.js';
import { runLoginLoad } from '../../bench/support/login-load.js';
import { runMucLoad } from '../../bench/support/muc-load.js';
import { prepareSalonData } from '../../bench/support/salon-data.js';
import { BenchServer } from '../../bench/support/server-process.js';
import { attributeOf } from '../../bench/support/stanza-splitter.js';

let dir: string;
let server: BenchServer | undefined;
let target: BenchTarget;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-bench-suite-'));
  const prepared = await prepareSalonData(dir, { plain: 6, withRoster: 6, rosterSize: 4 });
  expect(prepared.summary).toMatch(/^imported 12 accounts \(12 created, 0 updated\) and 6 rosters \(24 contacts\)/);
  server = await BenchServer.start({ users: 1, data: prepared.dataPath, tls: true, muc: true, core: undefined });
  target = new BenchTarget(server, 'none');
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('benchmark suite on an imported data directory', () => {
  test('a roster user gets its imported contacts and the presence of those online', async () => {
    const contact = await target.login(1, 'SCRAM-SHA-1', { account: 'roster' });
    await contact.roundTrip('online');
    const user = await target.login(0, 'SCRAM-SHA-1', { account: 'roster', rosterGet: true });
    // RFC 6121 §4.2.2: the user's own presence comes back first, then that of the online contact.
    const senders: string[] = [];
    while (!senders.includes(contact.jid) && senders.length < 5) {
      const received = await user.next();
      if (received.name === 'presence') senders.push(attributeOf(received.xml, 'from') ?? '');
    }
    expect(senders).toEqual([user.jid, contact.jid]);
    user.send("<iq type='get' id='r2'><query xmlns='jabber:iq:roster'/></iq>");
    let roster = '';
    while (attributeOf(roster, 'id') !== 'r2') roster = (await user.next()).xml;
    expect(roster.match(/subscription="both"|subscription='both'/g)).toHaveLength(4);
    await Promise.all([user.close(), contact.close()]);
  });

  test('login load with roster get counts logins and no errors', async () => {
    const line = await runLoginLoad(target, {
      scenario: 'roster-100', account: 'roster', rosterGet: true, mechanism: 'SCRAM-SHA-1', concurrency: 3, accounts: 6, warmupSeconds: 0, durationSeconds: 1,
    });
    expect(line.params).toMatchObject({ errors: 0, latency: 'connect to roster result' });
    expect(line.value).toBeGreaterThan(0);
  });

  test('idle sessions over STARTTLS report memory per session and the open descriptors', async () => {
    const line = await runIdleLoad(target, { scenario: 'idle-tls', sessions: 6, tls: 'starttls', mechanism: 'SCRAM-SHA-1' });
    expect(line.unit).toBe('KiB/session');
    expect(Number.isFinite(line.value)).toBe(true);
    expect(line.params.fds).toBeGreaterThanOrEqual(6);
    expect(typeof line.params.heapKiBPerSession).toBe('number');
  });

  test('MUC fan-out delivers every message to every occupant', async () => {
    const line = await runMucLoad(target, { scenario: 'muc-4', occupants: 4, senders: 2, mechanism: 'PLAIN', warmupSeconds: 0, durationSeconds: 1 });
    expect(line.params).toMatchObject({ occupants: 4, senders: 2, errors: 0, undelivered: 0 });
    expect(line.params.delivered).toBeGreaterThan(0);
  });
});
