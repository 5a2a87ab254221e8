/**
 * `outbound-stanza`: stanzas the server generates on a user's behalf pass a hook on the user's
 * own host before routing, as a client's pass `pre-stanza`. block_subscriptions relies on it to
 * stop its users' automatic subscription replies wherever they go (spec §3.6.4) without hooking
 * the other hosts.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { VirtualHost } from '../../salon.js';
import { tapStanzas } from '../../server/testing/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { rawLogin } from '../helpers/raw-login.js';
import { ask } from '../helpers/roster-raw.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const GUARDED = 'guarded.example';
const OPEN = 'open.example';

let server: TestServer;
let x: RawClient;

beforeAll(async () => {
  server = await startTestServer({
    hosts: [VirtualHost(GUARDED, { modules_enabled: ['block_subscriptions'] }), VirtualHost(OPEN)],
    users: { [`john@${GUARDED}`]: 'j-pw', [`x@${OPEN}`]: 'x-pw', [`y@${OPEN}`]: 'y-pw' },
  });
  x = await rawLogin(server.port, `x@${OPEN}`, 'x-pw', 'res');
  x.send('<presence/>'); // available: answers to the bare JID reach this session (RFC 6121 §8.5.2.1.1)
  await sync(x, OPEN);
});
afterAll(async () => {
  x?.close();
  await server.stop();
});

/** A ping round trip to the client's own host: whatever was written to it before has arrived. */
async function sync(client: RawClient, domain: string): Promise<void> {
  const reply = await ask(client, (id) => `<iq type='get' id='${id}' to='${domain}'><ping xmlns='urn:xmpp:ping'/></iq>`);
  if (reply.attrs.type !== 'result') throw new Error(`ping failed: ${reply.toString()}`);
}

// Watched with a tap: the prober's own host then drops the answer (RFC 6121 §3.2.3, an
// `unsubscribed` with no subscription to undo), so no client ever sees it.
test('a probe of a user who does not share presence is answered with unsubscribed (RFC 6121 §4.3.2), except from a block_subscriptions host', async () => {
  const tap = tapStanzas(server, { jid: `x@${OPEN}` });
  try {
    // Control: the same automatic answer from a host without the module is routed.
    x.send(`<presence type='probe' to='y@${OPEN}'/>`);
    const answer = await tap.waitFor((s) => s.name === 'presence' && s.type === 'unsubscribed');
    expect(answer.from).toBe(`y@${OPEN}`);

    const mark = tap.count;
    x.send(`<presence type='probe' to='john@${GUARDED}'/>`);
    await sync(x, OPEN); // x's stream handles the probe, and its answer, before the ping
    expect(tap.stanzas.slice(mark).filter((s) => s.name === 'presence').map((s) => s.xml)).toEqual([]);
  } finally {
    tap.stop();
  }
});
