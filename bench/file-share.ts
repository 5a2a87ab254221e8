/**
 * HTTP File Upload (XEP-0363, `http_file_share`): throughput and the server's peak memory for one
 * large upload and its download. The server (compiled package, dist/) runs in a child process
 * with file storage in a temporary directory; this process asks for the slot over XMPP and
 * streams the file over loopback HTTPS (or plain HTTP) while sampling the child's VmRSS from
 * /proc every 10 ms. One JSON line per transfer on stdout.
 * Run: npx tsc -p tsconfig.build.json && node node_modules/jiti/lib/jiti-cli.mjs bench/file-share.ts [--help]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { client as createClient, xml } from '@xmpp/client';
import type { Element } from 'ltx';
import { Component, startServer, VirtualHost } from 'salon';

const USAGE = `Usage: node node_modules/jiti/lib/jiti-cli.mjs bench/file-share.ts [flags]
  --mib N        file size in MiB (default 100)
  --scheme S     https (default) or http (the server then listens on plain HTTP only)`;

const { values } = parseArgs({ options: {
  mib: { type: 'string', default: '100' }, scheme: { type: 'string', default: 'https' },
  serve: { type: 'string' }, help: { type: 'boolean', default: false },
} });
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const SIZE = Number(values.mib) * 1024 * 1024;
const UPLOAD = 'upload.localhost';

interface Served { readonly port: number; readonly certificate: string; readonly pid: number }

/** The child: a server with an upload component whose limit fits the file, until SIGTERM. */
async function serve(dataPath: string): Promise<void> {
  const server = await startServer({
    config: {
      data_path: dataPath, c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'],
      http_ports: [0], https_ports: values.scheme === 'https' ? [0] : [], http_interfaces: ['127.0.0.1'], https_interfaces: ['127.0.0.1'],
      http_request_timeout: 600, log_level: 'warn',
      hosts: [VirtualHost('localhost'), Component(UPLOAD, 'http_file_share', { http_file_share_size_limit: SIZE, http_file_share_daily_quota: SIZE * 4 })],
    },
    users: { 'alice@localhost': 'alice-secret' },
    tls: 'test',
  });
  const served: Served = { port: server.c2s!.port, certificate: server.certificate!, pid: process.pid };
  process.stdout.write(`${JSON.stringify(served)}\n`);
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

async function vmRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1] ?? 0) * 1024;
}

/** Runs `work` while sampling the child's resident set; its peak and the baseline before. */
async function sampled<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; seconds: number; baseRss: number; peakRss: number }> {
  const baseRss = await vmRss(pid);
  let peakRss = baseRss;
  const timer = setInterval(() => void vmRss(pid).then((rss) => (peakRss = Math.max(peakRss, rss)), () => undefined), 10);
  const started = performance.now();
  let result: T;
  try {
    result = await work();
  } finally {
    clearInterval(timer);
  }
  const seconds = (performance.now() - started) / 1000;
  return { result, seconds, baseRss, peakRss: Math.max(peakRss, await vmRss(pid)) };
}

/** The slot for the file, asked for over XMPP (STARTTLS, trusting the child's certificate). */
async function requestSlot(served: Served): Promise<{ url: string; authorization: string }> {
  const connect = tls.connect;
  (tls as { connect: unknown }).connect = (options: tls.ConnectionOptions, ...rest: unknown[]) =>
    (connect as (...a: unknown[]) => tls.TLSSocket)({ ...options, ca: [served.certificate], servername: 'localhost' }, ...rest);
  const xmpp = createClient({ service: `xmpp://127.0.0.1:${served.port}`, domain: 'localhost', username: 'alice', password: 'alice-secret' });
  xmpp.on('error', () => undefined);
  await xmpp.start();
  const reply = await xmpp.iqCaller.request(xml('iq', { type: 'get', to: UPLOAD },
    xml('request', { xmlns: 'urn:xmpp:http:upload:0', filename: 'bench.bin', size: String(SIZE), 'content-type': 'application/octet-stream' }))) as Element;
  await xmpp.stop();
  const put = reply.getChild('slot')!.getChild('put')!;
  return { url: put.attrs.url as string, authorization: put.getChildText('header') ?? '' };
}

function transfer(served: Served, url: string, method: 'PUT' | 'GET', headers: Record<string, string>, body?: Readable): Promise<{ status: number; bytes: number }> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)({
      host: '127.0.0.1', port: target.port, path: target.pathname, method, agent: false,
      headers: { host: target.host, ...headers }, ...(secure ? { ca: served.certificate, servername: target.hostname } : {}),
    }, (response: IncomingMessage) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, bytes }));
    });
    request.on('error', reject);
    if (body === undefined) request.end();
    else body.pipe(request);
  });
}

function source(size: number): Readable {
  const chunk = Buffer.alloc(64 * 1024, 'salon-file-share-bench-');
  let left = size;
  return new Readable({ read() {
    if (left === 0) return void this.push(null);
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= piece.length;
    this.push(piece);
  } });
}

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ ...line, date: new Date().toISOString(), node: process.version, cores: cpus().length, load1: loadavg()[0] })}\n`);
}

async function main(): Promise<void> {
  const dataPath = await mkdtemp(join(tmpdir(), 'salon-bench-file-share-'));
  const jiti = fileURLToPath(new URL('../node_modules/jiti/lib/jiti-cli.mjs', import.meta.url));
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [jiti, script, ...process.argv.slice(2), '--serve', dataPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
    const served = JSON.parse(String(first.value)) as Served;
    const slot = await requestSlot(served);
    const mib = SIZE / (1024 * 1024);
    const up = await sampled(served.pid, () =>
      transfer(served, slot.url, 'PUT', { authorization: slot.authorization, 'content-type': 'application/octet-stream', 'content-length': String(SIZE) }, source(SIZE)));
    if (up.result.status !== 201) throw new Error(`upload answered ${up.result.status}`);
    emit({ scenario: `file-share-upload-${values.scheme}`, mib, status: up.result.status, seconds: up.seconds, mibPerSecond: mib / up.seconds, serverRssBaseMiB: up.baseRss / 2 ** 20, serverRssPeakMiB: up.peakRss / 2 ** 20, serverRssGrowthMiB: (up.peakRss - up.baseRss) / 2 ** 20 });
    const down = await sampled(served.pid, () => transfer(served, slot.url, 'GET', {}));
    if (down.result.status !== 200 || down.result.bytes !== SIZE) throw new Error(`download answered ${down.result.status} with ${down.result.bytes} bytes`);
    emit({ scenario: `file-share-download-${values.scheme}`, mib, status: down.result.status, seconds: down.seconds, mibPerSecond: mib / down.seconds, serverRssBaseMiB: down.baseRss / 2 ** 20, serverRssPeakMiB: down.peakRss / 2 ** 20, serverRssGrowthMiB: (down.peakRss - down.baseRss) / 2 ** 20 });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await rm(dataPath, { recursive: true, force: true });
  }
}

if (values.serve !== undefined) await serve(values.serve);
else await main();
