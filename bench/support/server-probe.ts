/**
 * What starting an external server under test needs from the network side: a free loopback port to
 * give it, and a check that it answers XMPP streams there (the process being alive is not enough).
 */
import { connect, createServer } from 'node:net';
import { BENCH_DOMAIN } from './bench-protocol.js';

/** A port of 127.0.0.1 that was free a moment ago (the kernel picked it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Resolves true once a stream opened to the port gets its `<stream:features/>`, false on any failure within a second. */
export async function answersStreams(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = '';
    const done = (answer: boolean): void => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write(`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='${BENCH_DOMAIN}' version='1.0'>`));
    socket.on('data', (chunk: Buffer) => {
      // The header and the features may come in separate chunks.
      received += chunk.toString('utf8');
      if (received.includes('stream:features')) done(true);
    });
  });
}
