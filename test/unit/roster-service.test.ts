import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { StanzaError, err, ok } from '../../server/errors/index.js';
import { Host } from '../../server/host/host.js';
import { Jid } from '../../server/jid/index.js';
import { silentLogger } from '../../server/log/index.js';
import type { ModuleContext } from '../../server/modules/index.js';
import { SessionRegistry, type Session } from '../../server/session/index.js';
import { emptyRoster, type Roster } from '../../roster/index.js';
import { createRosterService } from '../../roster/roster-service.js';
import type { RosterPushedEvent } from '../../roster/events.js';
import type { RosterStore } from '../../roster/roster-store.js';

const alice = Jid.of('alice', 'localhost');

class FakeSession implements Session {
  readonly id: string;
  readonly logger = silentLogger();
  readonly secure = true;
  readonly transport = 'tcp' as const;
  readonly clientAddress = '127.0.0.1';
  readonly boundAt = Date.now();
  presence: Element | undefined = undefined;
  priority = 0;
  rosterInterested: boolean;
  readonly directedPresence = new Set<string>();
  readonly sent: string[] = [];
  closed = false;
  constructor(readonly jid: Jid, interested: boolean) {
    this.id = jid.toString();
    this.rosterInterested = interested;
  }
  send(stanza: Element): boolean {
    this.sent.push(stanza.toString());
    return true;
  }
  addOutputFilter(): () => void {
    return () => {};
  }

  sendRaw(xml: string): boolean {
    this.sent.push(xml);
    return true;
  }
  close(): void {
    this.closed = true;
  }
}

class MemoryRosterStore implements RosterStore {
  readonly saved = new Map<string, Roster>();
  loads = 0;
  async load(user: Jid): Promise<Roster> {
    this.loads += 1;
    return this.saved.get(user.toString()) ?? emptyRoster();
  }
  async save(user: Jid, roster: Roster): Promise<void> {
    this.saved.set(user.toString(), roster);
  }
}

function setup(): { ctx: ModuleContext<unknown>; host: Host; sessions: SessionRegistry; store: MemoryRosterStore } {
  const logger = silentLogger();
  const host = new Host({ name: 'localhost', kind: 'user', options: {} }, {}, logger);
  const sessions = new SessionRegistry();
  // The service uses the host's hooks, the session table and the logger of its context.
  const ctx = { host, sessions, logger, name: 'roster' } as unknown as ModuleContext<unknown>;
  return { ctx, host, sessions, store: new MemoryRosterStore() };
}

function addItem(jid: string, subscription: 'none' | 'to' | 'from' | 'both' = 'none') {
  return (roster: Roster) => {
    roster.items.set(jid, { jid, groups: [], subscription });
    return ok({ value: jid, changed: true, pushed: jid });
  };
}

describe('createRosterService', () => {
  test('a roster comes from the store unless a roster-load handler provides it', async () => {
    const { ctx, host, store } = setup();
    const service = createRosterService(ctx, { store });
    expect((await service.load(alice)).ok).toBe(true);
    expect(store.loads).toBe(1);

    const other = setup();
    const provided = emptyRoster();
    provided.items.set('bob@localhost', { jid: 'bob@localhost', groups: [], subscription: 'both' });
    other.host.hooks.on('roster-load', (event) => {
      event.roster = provided;
      return true;
    });
    const fromHook = await createRosterService(other.ctx, { store: other.store }).load(alice);
    expect(fromHook.ok && [...fromHook.value.items.keys()]).toEqual(['bob@localhost']);
    expect(other.store.loads).toBe(0);
    expect(host.hooks.has('roster-load')).toBe(false);
  });

  test('a roster-load handler can fail the load with an error', async () => {
    const { ctx, host, store } = setup();
    host.hooks.on('roster-load', () => StanzaError.cancel('internal-server-error'));
    const result = await createRosterService(ctx, { store }).load(alice);
    expect(result.ok ? undefined : result.error.condition).toBe('internal-server-error');
  });

  test('a pushed change is saved with the next version and pushed to interested sessions only', async () => {
    const { ctx, host, sessions, store } = setup();
    const interested = new FakeSession(alice.withResource('one'), true);
    const quiet = new FakeSession(alice.withResource('two'), false);
    sessions.add(interested);
    sessions.add(quiet);
    const notified: RosterPushedEvent[] = [];
    host.hooks.on('roster-pushed', (event) => void notified.push(event));
    const service = createRosterService(ctx, { store });
    const result = await service.update(alice, addItem('bob@localhost'));
    expect(result).toEqual({ ok: true, value: 'bob@localhost' });
    expect(store.saved.get('alice@localhost')?.version).toBe(1);
    expect(interested.sent).toHaveLength(1);
    expect(interested.sent[0]).toContain("to=\"alice@localhost/one\"");
    expect(interested.sent[0]).toContain('ver="1"');
    expect(quiet.sent).toEqual([]);
    expect(notified.map((e) => [e.jid, e.version])).toEqual([['bob@localhost', 1]]);
  });

  test('a failed change leaves the roster as it was, even if it touched its copy', async () => {
    const { ctx, store } = setup();
    const service = createRosterService(ctx, { store });
    await service.update(alice, addItem('bob@localhost'));
    const failed = await service.update(alice, (roster) => {
      roster.items.clear();
      return err(StanzaError.modify('policy-violation'));
    });
    expect(failed.ok).toBe(false);
    const roster = await service.load(alice);
    expect(roster.ok && [...roster.value.items.keys()]).toEqual(['bob@localhost']);
    expect(roster.ok && roster.value.version).toBe(1);
  });

  test('a change nobody sees (a pending request) is saved without a new version or push', async () => {
    const { ctx, sessions, store } = setup();
    const session = new FakeSession(alice.withResource('one'), true);
    sessions.add(session);
    const service = createRosterService(ctx, { store });
    await service.update(alice, (roster) => {
      roster.pendingIn.set('carol@localhost', { receivedAt: '2024-01-01T00:00:00Z' });
      return ok({ value: undefined, changed: true });
    });
    expect(store.saved.get('alice@localhost')?.version).toBe(0);
    expect(store.saved.get('alice@localhost')?.pendingIn.size).toBe(1);
    expect(session.sent).toEqual([]);
  });

  test('concurrent changes for one user are applied one after the other', async () => {
    const { ctx, store } = setup();
    const service = createRosterService(ctx, { store });
    const names = ['a', 'b', 'c', 'd', 'e'].map((n) => `${n}@example.org`);
    await Promise.all(names.map((jid) => service.update(alice, addItem(jid))));
    const saved = store.saved.get('alice@localhost');
    expect([...(saved?.items.keys() ?? [])].sort()).toEqual(names);
    expect(saved?.version).toBe(5);
  });

  test('subscribers have from/both, subscriptions to/both', async () => {
    const { ctx, store } = setup();
    const service = createRosterService(ctx, { store });
    for (const [jid, sub] of [['n@x', 'none'], ['t@x', 'to'], ['f@x', 'from'], ['b@x', 'both']] as const) await service.update(alice, addItem(jid, sub));
    expect((await service.subscribers(alice)).map(String).sort()).toEqual(['b@x', 'f@x']);
    expect((await service.subscriptions(alice)).map(String).sort()).toEqual(['b@x', 't@x']);
  });
});
