/**
 * What a consumer's test does to check a fixture's web endpoints: open an RFC 7395 stream over
 * the WebSocket URL, and start a XEP-0206 session at the BOSH URL.
 */
import { WebSocket } from 'ws';

/** The first frame the server sends after the client's `<open/>`. */
export async function firstWebSocketFrame(url: string): Promise<string> {
  const socket = new WebSocket(url, 'xmpp');
  try {
    return await new Promise<string>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () => socket.send(`<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='localhost' version='1.0'/>`));
      socket.once('message', (data: Buffer) => resolve(data.toString('utf8')));
    });
  } finally {
    socket.close();
  }
}

/** The answer to a session creation request. */
export async function startBoshSession(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    method: 'POST',
    body: "<body xmlns='http://jabber.org/protocol/httpbind' xmlns:xmpp='urn:xmpp:xbosh' rid='1000' to='localhost' wait='5' hold='1' ver='1.6' xmpp:version='1.0'/>",
  });
  return { status: response.status, body: await response.text() };
}
