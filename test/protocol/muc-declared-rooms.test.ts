/**
 * Rooms declared in the config (`muc_rooms`) as desired state: created on start, reconciled on
 * a reload (the module's `reconfigure`, called here as the core's reload calls it), rooms the
 * config does not name left alone unless `muc_rooms_destroy_undeclared` says otherwise. Clients
 * in the rooms see the changes as XEP-0045 says.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import { Component, VirtualHost } from '../../salon.js';
import type { MucService } from '../../muc/index.js';
import { mucEngineKey, type MucEngine } from '../../muc/muc-engine.js';
import { reconfigureMuc } from '../../muc/declared-rooms/reconfigure.js';
import type { MucOptions } from '../../muc/options.js';
import { coreOf } from '../../server/core/index.js';
import { Jid } from '../../server/jid/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { enter, errorCondition, item, join, login, SERVICE, statusCodes, users } from '../helpers/muc-harness.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
});

const TEAM = {
  name: 'team',
  config: { membersonly: true, roomname: 'The Team' },
  affiliations: { alice: 'owner', 'bob@localhost': 'member' },
  subject: 'Welcome to the team',
} as const;

async function start(muc: Record<string, unknown>): Promise<TestServer> {
  server = await startTestServer({ users: users('alice', 'bob', 'carol'), hosts: [VirtualHost('localhost'), Component(SERVICE, 'muc', muc)] });
  return server;
}

async function connect(running: TestServer, name: string): Promise<RawClient> {
  const client = await login(running.port, name, name[0]);
  clients.push(client);
  return client;
}

const service = (running: TestServer): MucService => running.muc(SERVICE);
const engineOf = (running: TestServer): MucEngine => coreOf(running).services.get(SERVICE, mucEngineKey)!;
const reconcileLines = (running: TestServer, from = 0): Record<string, unknown>[] =>
  running.logs.slice(from).filter((line) => line.msg === 'declared rooms reconciled');

/** The reload's view: the running options with `changes` over them. */
function reload(running: TestServer, changes: Partial<MucOptions>): Promise<string[]> {
  const engine = engineOf(running);
  return reconfigureMuc(engine.ctx, { ...engine.options, ...changes });
}

describe('on start', () => {
  test('declared rooms exist before anyone joins: persistent, configured, affiliated, with their subject', async () => {
    const running = await start({ muc_rooms: ['lobby', TEAM, { name: 'elsewhere@other.localhost' }] });
    const lobby = service(running).room(`lobby@${SERVICE}`);
    expect(lobby?.config.persistentroom).toBe(true);
    const team = service(running).room(`team@${SERVICE}`)!;
    expect([team.config.membersonly, team.config.roomname, team.subject, team.locked]).toEqual([true, 'The Team', 'Welcome to the team', false]);
    expect(team.affiliation(Jid.of('alice', 'localhost'))).toBe('owner');
    expect(await coreOf(running).storage.open(SERVICE, 'muc_rooms').get('team')).toBeDefined();
    expect(reconcileLines(running)).toMatchObject([{ created: [`lobby@${SERVICE}`, `team@${SERVICE}`], changed: [], destroyed: [] }]);
    const [bob, carol] = [await connect(running, 'bob'), await connect(running, 'carol')];
    expect(item(await enter(bob, 'team', 'Bob'))?.attrs.affiliation).toBe('member');
    expect(errorCondition(await join(carol, 'team', 'Carol'))).toBe('registration-required');
  });

  test('a bad declaration stops start-up naming the option', async () => {
    await expect(start({ muc_rooms: [{ name: 'x', confg: {} }] })).rejects.toThrow(/muc_rooms[\s\S]*confg[\s\S]*config/);
    await expect(start({ muc_rooms: [{ name: 'x', config: { whois: 'everyone' } }] })).rejects.toThrow(/muc_rooms/);
    await expect(start({ muc_rooms: ['not a room@@'] })).rejects.toThrow(/muc_rooms.*not a room name/);
  });
});

describe('on reload', () => {
  test('existing rooms are reconciled; occupants see the changes; unchanged and undeclared rooms stay', async () => {
    const running = await start({ muc_rooms: ['lobby', TEAM] });
    await service(running).createRoom(`adhoc@${SERVICE}`, { config: { persistentroom: true } });
    const alice = await connect(running, 'alice');
    await enter(alice, 'team', 'Alice');
    const [seen, logsFrom] = [alice.received.length, running.logs.length];
    const restart = await reload(running, {
      muc_rooms: ['lobby', { ...TEAM, config: { ...TEAM.config, roomname: 'Team Two' }, affiliations: { ...TEAM.affiliations, carol: 'member' }, subject: 'New topic' }],
    });
    expect(restart).toEqual([]);
    expect(reconcileLines(running, logsFrom)).toMatchObject([{ created: [], changed: [`team@${SERVICE}`], destroyed: [] }]);
    const team = service(running).room(`team@${SERVICE}`)!;
    expect([team.config.roomname, team.subject, team.affiliation(Jid.of('carol', 'localhost'))]).toEqual(['Team Two', 'New topic', 'member']);
    const status = await alice.waitFor((el) => el.name === 'message' && statusCodes(el).includes(104), 3000, seen);
    expect(status.attrs.from).toBe(`team@${SERVICE}`);
    const notice = await alice.waitFor((el) => el.name === 'message' && item(el)?.attrs.jid === 'carol@localhost', 3000, seen);
    expect(item(notice)?.attrs.affiliation).toBe('member');
    const subject = await alice.waitFor((el) => el.name === 'message' && el.getChildText('subject') === 'New topic', 3000, seen);
    expect(subject.attrs.from).toBe(`team@${SERVICE}`);
    expect(service(running).room(`adhoc@${SERVICE}`)).toBeDefined();
    // The same declaration again changes nothing.
    const again = running.logs.length;
    await reload(running, { muc_rooms: ['lobby', { ...TEAM, config: { ...TEAM.config, roomname: 'Team Two' }, affiliations: { ...TEAM.affiliations, carol: 'member' }, subject: 'New topic' }] });
    expect(reconcileLines(running, again)).toMatchObject([{ created: [], changed: [], destroyed: [] }]);
  });

  test('muc_rooms_destroy_undeclared: persistent rooms the config does not name are destroyed, temporary ones stay', async () => {
    const running = await start({ muc_rooms: ['lobby', TEAM] });
    await service(running).createRoom(`adhoc@${SERVICE}`, { config: { persistentroom: true } });
    const bob = await connect(running, 'bob');
    await enter(bob, 'adhoc', 'Bob');
    await enter(bob, 'passing', 'Bob');
    const [seen, logsFrom] = [bob.received.length, running.logs.length];
    await reload(running, { muc_rooms: [TEAM], muc_rooms_destroy_undeclared: true });
    expect(reconcileLines(running, logsFrom)).toMatchObject([{ created: [], changed: [], destroyed: [`lobby@${SERVICE}`, `adhoc@${SERVICE}`] }]);
    const gone = await bob.waitFor((el) => el.name === 'presence' && el.attrs.from === `adhoc@${SERVICE}/Bob` && el.attrs.type === 'unavailable', 3000, seen);
    expect(item(gone)?.parent?.getChild('destroy')).toBeDefined();
    expect(service(running).rooms().map((room) => room.jid.toString()).sort()).toEqual([`passing@${SERVICE}`, `team@${SERVICE}`]);
    expect(await coreOf(running).storage.open(SERVICE, 'muc_rooms').get('lobby')).toBeUndefined();
  });

  test('other options apply in place; the history bounds wait for a restart', async () => {
    const running = await start({});
    expect(reconcileLines(running)).toEqual([]);
    expect(await reload(running, { muc_hook_deadline: 5, muc_room_default_moderated: true, max_history_messages: 5 })).toEqual(['max_history_messages']);
    expect(service(running).hookDeadlineMs).toBe(5000);
    expect(engineOf(running).options.max_history_messages).toBe(20);
    await service(running).createRoom(`fresh@${SERVICE}`);
    expect(service(running).room(`fresh@${SERVICE}`)?.config.moderatedroom).toBe(true);
  });
});
