/**
 * The floor under STARTTLS logins: what one TLS handshake costs a bare Node server, with nothing
 * of XMPP around it. The server (a child process pinned to core 0) accepts TCP connections and
 * wraps each in `new TLSSocket(socket, { isServer: true })`, as Salon's STARTTLS does, with the
 * bench's EC P-256 certificate; this process (core 1) opens connections, 20 in flight, each doing
 * the handshake, one small read and write each way, and a close. Reported: the server's CPU time
 * per handshake (all its threads, from `process.cpuUsage()` over the measured handshakes only).
 * One JSON line per variant on stdout.
 *
 * Variants: `default` (TLS 1.3, session tickets on, as Salon runs), `no-tickets`, `tls1.2`, `sni`
 * (an SNI callback answering with the same context, as Salon's multi-host servers do).
 * Run: node node_modules/jiti/lib/jiti-cli.mjs bench/tls-handshake.ts [--handshakes N] [--variants LIST]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { constants } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createSecureContext, TLSSocket, type SecureContextOptions } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { placeProcesses } from './support/cpu-placement.js';
import { writeSelfSignedCertificate } from './support/self-signed-certificate.js';

const VARIANTS = ['default', 'no-tickets', 'tls1.2', 'sni'] as const;
type Variant = (typeof VARIANTS)[number];
const IN_FLIGHT = 20;
const JITI_CLI = fileURLToPath(new URL('../node_modules/jiti/lib/jiti-cli.mjs', import.meta.url));
const WARMUP_HANDSHAKES = 300;

interface ServerMessage {
  port?: number;
  cpuMicros?: number;
}

/** The child: a TLS-over-TCP echo of one message, answering `cpu` with its CPU time so far. */
async function serve(variant: Variant, keyFile: string, certificateFile: string): Promise<void> {
  const options: SecureContextOptions = { key: await readFile(keyFile), cert: await readFile(certificateFile) };
  if (variant === 'no-tickets') options.secureOptions = constants.SSL_OP_NO_TICKET;
  if (variant === 'tls1.2') options.maxVersion = 'TLSv1.2';
  const context = createSecureContext(options);
  const server = createServer((socket) => {
    const secured = new TLSSocket(socket, {
      isServer: true, secureContext: context,
      ...(variant === 'sni' ? { SNICallback: (_name: string, done: (error: Error | null, ctx: typeof context) => void) => done(null, context) } : {}),
    });
    secured.once('secure', () => secured.write('ready'));
    secured.once('data', () => secured.end());
    secured.on('error', () => secured.destroy());
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('message', (message) => {
    if (message === 'cpu') {
      const usage = process.cpuUsage();
      process.send!({ cpuMicros: usage.user + usage.system });
    } else if (message === 'stop') {
      server.close();
      process.disconnect();
    }
  });
}

function nextMessage(child: ChildProcess): Promise<ServerMessage> {
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve(message as ServerMessage));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** `count` handshakes against `port`, `IN_FLIGHT` at a time; resolves when all have closed. */
async function handshakes(port: number, count: number): Promise<void> {
  const context = createSecureContext();
  let started = 0;
  let failures = 0;
  const lane = async (): Promise<void> => {
    while (started < count) {
      started++;
      await new Promise<void>((resolve) => {
        // No CA: the client skips Node's certificate-to-object step (see bench/support/load-client.ts).
        const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', secureContext: context, rejectUnauthorized: false });
        socket.once('data', () => socket.write('bye'));
        socket.once('close', () => resolve());
        socket.on('error', () => (failures++, socket.destroy()));
      });
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  if (failures > 0) throw new Error(`${failures} handshakes failed`);
}

async function measure(variant: Variant, count: number, files: { key: string; certificate: string }, serverCore: number | undefined) {
  const child = fork(JITI_CLI, [fileURLToPath(import.meta.url), '--serve', variant, files.key, files.certificate], {
    execPath: serverCore === undefined ? process.execPath : 'taskset',
    execArgv: serverCore === undefined ? process.execArgv : ['-c', String(serverCore), process.execPath, ...process.execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    const { port } = await nextMessage(child);
    await handshakes(port!, WARMUP_HANDSHAKES);
    const before = nextMessage(child);
    child.send('cpu');
    const cpuBefore = (await before).cpuMicros!;
    const started = performance.now();
    await handshakes(port!, count);
    const seconds = (performance.now() - started) / 1000;
    const after = nextMessage(child);
    child.send('cpu');
    const cpuAfter = (await after).cpuMicros!;
    return { serverMsPerHandshake: (cpuAfter - cpuBefore) / 1000 / count, handshakesPerSecond: count / seconds };
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

async function main(): Promise<void> {
  const serveAt = process.argv.indexOf('--serve');
  if (serveAt !== -1) return serve(process.argv[serveAt + 1] as Variant, process.argv[serveAt + 2]!, process.argv[serveAt + 3]!);
  const { values } = parseArgs({ options: { handshakes: { type: 'string', default: '3000' }, variants: { type: 'string', default: VARIANTS.join(',') } } });
  const count = Number(values.handshakes);
  const variants = values.variants.split(',') as Variant[];
  for (const variant of variants) if (!VARIANTS.includes(variant)) throw new Error(`unknown variant ${variant}; one of ${VARIANTS.join(', ')}`);
  const placement = placeProcesses(true);
  const dir = await mkdtemp(join(tmpdir(), 'salon-tls-bench-'));
  try {
    const written = await writeSelfSignedCertificate(dir);
    const files = { key: written.key, certificate: written.certificate };
    for (const variant of variants) {
      const result = await measure(variant, count, files, placement.serverCore);
      process.stdout.write(`${JSON.stringify({
        scenario: `tls-handshake-${variant}`, value: Math.round(result.serverMsPerHandshake * 1000) / 1000, unit: 'server CPU ms per handshake',
        handshakesPerSecond: Math.round(result.handshakesPerSecond), handshakes: count, inFlight: IN_FLIGHT,
        pinned: placement.serverCore !== undefined, node: process.version, openssl: process.versions.openssl,
        cores: cpus().length, load1: loadavg()[0], date: new Date().toISOString(),
      })}\n`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
