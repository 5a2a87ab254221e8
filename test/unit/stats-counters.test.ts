/** ServerStats: stanza kinds told from serialised bytes; live gauges worked out from streams and sessions. */
import { expect, test } from '@jest/globals';
import { countLive, ServerStats, type LiveStream, type Transport } from '../../server/stats/index.js';

const NO_LIVE = () => countLive([], []);

test('stanzas written are counted by kind, from text or from encoded pieces', () => {
  const stats = new ServerStats(NO_LIVE);
  stats.stanzaOut("<message to='a@b'/>");
  stats.stanzaOut([Buffer.from('<presence'), Buffer.from(" to='a@b'/>")]);
  stats.stanzaOut([Buffer.from('<iq/>')]);
  stats.stanzaOut("<iq type='result'/>");
  // Not a stanza (stream management writes its own elements uncounted; nothing else should come here).
  stats.stanzaOut("<r xmlns='urn:xmpp:sm:3'/>");
  stats.stanzaOut([]);
  expect(stats.stanzasOut).toEqual({ message: 1, presence: 1, iq: 2 });
});

test('stanzas received are counted by kind', () => {
  const stats = new ServerStats(NO_LIVE);
  for (const kind of ['message', 'message', 'presence', 'iq', 'iq', 'iq'] as const) stats.stanzaIn(kind);
  expect(stats.stanzasIn).toEqual({ message: 2, presence: 1, iq: 3 });
});

test('authentication failures and routing errors are kept by condition', () => {
  const stats = new ServerStats(NO_LIVE);
  stats.authFailed('not-authorized');
  stats.authFailed('not-authorized');
  stats.authFailed('aborted');
  stats.routingError('service-unavailable');
  expect([...stats.authFailures]).toEqual([['not-authorized', 2], ['aborted', 1]]);
  expect([...stats.routingErrors]).toEqual([['service-unavailable', 1]]);
});

function session(domain: string) {
  return { jid: { domain }, output: undefined as unknown };
}

test('open connections by transport; sessions bound over each, the rest hibernated, per host', () => {
  const alice = session('a.example');
  const bob = session('a.example');
  const carol = session('b.example');
  const resumedElsewhere = session('a.example');
  const streams: [LiveStream, Transport][] = [];
  const stream = (transport: Transport, bound?: ReturnType<typeof session>) => {
    const live = { session: bound };
    if (bound !== undefined) bound.output = live;
    streams.push([live, transport]);
    return live;
  };
  stream('tcp', alice);
  stream('websocket', carol);
  stream('bosh'); // not bound yet
  // A stream still closing after its session resumed on another one names the session, but is not its output.
  const old = stream('tcp', resumedElsewhere);
  stream('direct_tls', resumedElsewhere);
  expect(old.session?.output).not.toBe(old);
  const live = countLive(streams, [alice, bob, carol, resumedElsewhere]);
  expect(live.connections).toEqual({ tcp: 2, direct_tls: 1, websocket: 1, bosh: 1 });
  expect(live.sessions.get('a.example')).toEqual({ tcp: 1, direct_tls: 1, websocket: 0, bosh: 0, hibernated: 1 });
  expect(live.sessions.get('b.example')).toEqual({ tcp: 0, direct_tls: 0, websocket: 1, bosh: 0, hibernated: 0 });
  expect(new ServerStats(() => live).live()).toBe(live);
});
