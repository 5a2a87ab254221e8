// For each scenario named on the command line: starts a test server, leaves one client connection
// in that state, stops the server and prints one JSON line `{ scenario, left }`, `left` being the
// kinds of handle (process.getActiveResourcesInfo()) still alive besides the stdio pipes. Run by
// test/protocol/stop-releases-handles.test.ts: a stopped server must leave nothing behind that
// keeps the process of a fixture user alive.
// Usage: node stop-handles-child.mjs <abandoned-starttls | rejected-certificate | open-tls-stream>...
import { connect as tlsConnect } from 'node:tls';
import { createJiti } from 'jiti';

const jiti = createJiti(import.meta.url);
const { startTestServer } = await jiti.import('./test-server.ts');
const { RawClient } = await jiti.import('./raw-client.ts');

const STDIO = new Set(['PipeWrap', 'TTYWrap']);

/** Leaves the client in the state `scenario` names, after the server's `<proceed/>`. */
async function prepare(scenario, client) {
  if (scenario === 'abandoned-starttls') {
    // The peer hangs up before sending its ClientHello.
    client.close();
    await client.waitForClose();
  } else if (scenario === 'rejected-certificate') {
    // The peer checks the self-signed test certificate against the default CAs, refuses it and hangs up.
    const secured = tlsConnect({ socket: client.socket, servername: 'localhost', rejectUnauthorized: true });
    const refusal = await new Promise((resolve) => secured.once('error', resolve).once('secureConnect', () => resolve(undefined)));
    if (refusal === undefined) throw new Error('the test certificate was accepted');
    await client.waitForClose();
  } else if (scenario === 'open-tls-stream') {
    await client.startTls();
    client.openStream();
    await client.waitFor((el) => el.name === 'stream:features');
  } else {
    throw new Error(`unknown scenario ${scenario}`);
  }
}

for (const scenario of process.argv.slice(2)) {
  const server = await startTestServer();
  const client = await RawClient.connect(server.port);
  client.openStream();
  await client.waitFor((el) => el.name === 'stream:features');
  client.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  await client.waitFor((el) => el.name === 'proceed');
  await prepare(scenario, client);
  await server.stop();
  if (!client.closed) await client.waitForClose();
  // Handles closed by stop() are released on the next turn of the event loop.
  await new Promise((resolve) => setImmediate(resolve));
  const left = process.getActiveResourcesInfo().filter((kind) => !STDIO.has(kind));
  process.stdout.write(`${JSON.stringify({ scenario, left })}\n`);
}
