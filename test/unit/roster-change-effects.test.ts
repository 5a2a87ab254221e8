// A roster change made by its owner: pushes, `roster-pushed`, and the presence it calls for
// (RFC 6121 §2.1.6, §3.1.5, §3.2.2, §4.3), in the style of roster-service.test.ts.
import { describe, expect, test } from '@jest/globals';
import { parse, type Element } from 'ltx';
import { Host } from '../../server/host/host.js';
import { Jid } from '../../server/jid/index.js';
import { silentLogger } from '../../server/log/index.js';
import type { ModuleContext, ServiceKey } from '../../server/modules/index.js';
import { SessionRegistry, type Session } from '../../server/session/index.js';
import { createMemoryDriver } from '../../server/storage/index.js';
import { presenceEffects, type RosterChangeSet } from '../../roster/roster-change-effects.js';
import { createRosterChangeEffects, type RosterItem, type Subscription } from '../../roster/index.js';
import { blocklistServiceKey, createBlocklistService, type BlocklistService } from '../../roster/blocklist-service.js';
import type { RosterPushedEvent } from '../../roster/events.js';

const item = (jid: string, subscription: Subscription, name?: string): RosterItem => ({
  jid, groups: [], subscription, ...(name !== undefined ? { name } : {}),
});

const effects = (changes: RosterChangeSet) => presenceEffects(changes).map(({ jid, share, probe, withdraw }) => ({ jid, share, probe, withdraw }));

describe('presenceEffects', () => {
  test('a new contact with both: the user shares presence and probes; a removed one with both: presence withdrawn', () => {
    expect(effects({ set: [{ item: item('a@x', 'both') }], removed: [item('b@x', 'both')] })).toEqual([
      { jid: 'a@x', share: true, probe: true, withdraw: false },
      { jid: 'b@x', share: false, probe: false, withdraw: true },
    ]);
  });

  test('only the direction gained or lost counts', () => {
    expect(effects({ set: [{ item: item('from@x', 'from') }, { item: item('to@x', 'to') }], removed: [item('gone@x', 'to')] })).toEqual([
      { jid: 'from@x', share: true, probe: false, withdraw: false },
      { jid: 'to@x', share: false, probe: true, withdraw: false },
    ]);
    expect(effects({ set: [{ item: item('a@x', 'both'), previous: item('a@x', 'to') }], removed: [] }))
      .toEqual([{ jid: 'a@x', share: true, probe: false, withdraw: false }]);
    expect(effects({ set: [{ item: item('a@x', 'to'), previous: item('a@x', 'both') }], removed: [] }))
      .toEqual([{ jid: 'a@x', share: false, probe: false, withdraw: true }]);
  });

  test('a renamed contact, or one without a subscription, calls for no presence', () => {
    expect(effects({ set: [{ item: item('a@x', 'both', 'New'), previous: item('a@x', 'both', 'Old') }, { item: item('n@x', 'none') }], removed: [item('r@x', 'none')] }))
      .toEqual([]);
  });

  test('items set come before items removed, each in the order given', () => {
    const changes = { set: [{ item: item('c@x', 'both') }, { item: item('a@x', 'both') }], removed: [item('z@x', 'both'), item('b@x', 'both')] };
    expect(effects(changes).map(({ jid }) => jid)).toEqual(['c@x', 'a@x', 'z@x', 'b@x']);
  });
});

const alice = Jid.of('alice', 'localhost');

/** A session that records what it is sent; `presence` makes it available. */
class RecordingSession implements Session {
  readonly id: string;
  readonly logger = silentLogger();
  readonly secure = true;
  readonly transport = 'tcp' as const;
  readonly clientAddress = '127.0.0.1';
  readonly boundAt = Date.now();
  presence: Element | undefined;
  priority = 0;
  readonly directedPresence = new Set<string>();
  readonly sent: Element[] = [];
  closed = false;
  constructor(readonly jid: Jid, public rosterInterested: boolean, presence?: string) {
    this.id = jid.toString();
    this.presence = presence === undefined ? undefined : parse(presence) as Element;
  }
  send(stanza: Element): boolean {
    this.sent.push(stanza);
    return true;
  }
  addOutputFilter(): () => void {
    return () => {};
  }

  sendRaw(): boolean {
    return true;
  }
  close(): void {
    this.closed = true;
  }
}

function setup(sessionList: RecordingSession[]) {
  const logger = silentLogger();
  const host = new Host({ name: 'localhost', kind: 'user', options: {} }, {}, logger);
  const sessions = new SessionRegistry();
  for (const session of sessionList) sessions.add(session);
  const blocklist = createBlocklistService(createMemoryDriver().open<string[]>('localhost', 'blocklist'), 10);
  const routed: Element[] = [];
  const pushed: RosterPushedEvent[] = [];
  host.hooks.on('roster-pushed', (event) => void pushed.push(event));
  // What the roster service uses of its context: the host's hooks, the session table, routing and the blocklist.
  const ctx = {
    host, sessions, logger, name: 'roster',
    send: (stanza: Element) => void routed.push(stanza),
    service: <T>(key: ServiceKey<T>) => (key === blocklistServiceKey ? blocklist as T : undefined),
  } as unknown as ModuleContext<unknown>;
  return { ctx, routed, pushed, blocklist: blocklist as BlocklistService };
}

const brief = (el: Element) => `${el.name} ${String(el.attrs.type ?? '')} ${String(el.attrs.from ?? '')} -> ${String(el.attrs.to ?? '')}`;

describe('createRosterChangeEffects().applyRosterChanges', () => {
  test('pushes each item to interested sessions, fires roster-pushed, shares presence, probes, withdraws', async () => {
    const desk = new RecordingSession(alice.withResource('desk'), true, '<presence><show>away</show></presence>');
    const phone = new RecordingSession(alice.withResource('phone'), false);
    const { ctx, routed, pushed } = setup([desk, phone]);
    await createRosterChangeEffects(ctx).applyRosterChanges(alice, {
      set: [{ item: item('bob@localhost', 'both', 'Bob') }, { item: item('carol@localhost', 'both', 'C'), previous: item('carol@localhost', 'both') }],
      removed: [item('dave@localhost', 'both')],
    });
    // Three pushes to the interested session only, without `ver` (no version given).
    const pushes = desk.sent.filter((el) => el.name === 'iq');
    expect(pushes.map((iq) => [iq.attrs.to, iq.getChild('query', 'jabber:iq:roster')?.attrs.ver, iq.getChild('query', 'jabber:iq:roster')?.getChild('item')?.attrs.jid]))
      .toEqual([['alice@localhost/desk', undefined, 'bob@localhost'], ['alice@localhost/desk', undefined, 'carol@localhost'], ['alice@localhost/desk', undefined, 'dave@localhost']]);
    expect(new Set(pushes.map((iq) => iq.attrs.id)).size).toBe(3);
    expect(phone.sent).toEqual([]);
    expect(pushed.map((event) => [event.jid, event.item?.name, event.version])).toEqual([['bob@localhost', 'Bob', 0], ['carol@localhost', 'C', 0], ['dave@localhost', undefined, 0]]);
    // The new contact gets the available resource's presence and a probe; the removed one unavailable from every open session.
    expect(routed.map(brief)).toEqual([
      'presence  alice@localhost/desk -> bob@localhost',
      'presence probe alice@localhost -> bob@localhost',
      'presence unavailable alice@localhost/desk -> dave@localhost',
      'presence unavailable alice@localhost/phone -> dave@localhost',
    ]);
    expect(routed[0]?.getChildText('show')).toBe('away');
  });

  test('a version given is the pushes\' ver and the roster-pushed version', async () => {
    const desk = new RecordingSession(alice.withResource('desk'), true);
    const { ctx, pushed } = setup([desk]);
    await createRosterChangeEffects(ctx).applyRosterChanges(alice, { set: [{ item: item('bob@localhost', 'none') }], removed: [], version: 7 });
    expect(desk.sent[0]?.getChild('query', 'jabber:iq:roster')?.attrs.ver).toBe('7');
    expect(pushed.map((event) => event.version)).toEqual([7]);
  });

  test('no presence nor probe while the user has no available resource, nor to a contact the user blocks', async () => {
    const idle = setup([new RecordingSession(alice.withResource('desk'), true)]);
    await createRosterChangeEffects(idle.ctx).applyRosterChanges(alice, { set: [{ item: item('bob@localhost', 'both') }], removed: [] });
    expect(idle.routed).toEqual([]);

    const online = setup([new RecordingSession(alice.withResource('desk'), true, '<presence/>')]);
    await online.blocklist.apply(alice, { action: 'block', jids: ['bob@localhost'] });
    await createRosterChangeEffects(online.ctx).applyRosterChanges(alice, { set: [{ item: item('bob@localhost', 'both') }, { item: item('eve@localhost', 'to') }], removed: [] });
    expect(online.routed.map(brief)).toEqual(['presence probe alice@localhost -> eve@localhost']);
  });
});
