/**
 * Server CPU per delivered webhook, measured in one process so that a loaded machine changes the
 * absolute figures but not the comparison: N `room.created` events through `http_webhooks` to a
 * receiver in another process (this process's CPU from the first event to the last
 * acknowledgement, minus the same run without webhooks), next to the bare cost of one HTTP
 * request with undici's `fetch` (what `server/net/outbound-http.ts` uses) and with undici's
 * `request`, 8 in flight, against the same receiver.
 * Run: npx tsc -p tsconfig.build.json && node node_modules/jiti/lib/jiti-cli.mjs bench/webhooks-cost.ts [--events 3000]
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { Agent, fetch, request } from 'undici';
import { Component, startServer, VirtualHost } from 'salon';
import { round } from './support/measure.js';

/** A receiver in its own process: answers 204, prints a line per 100 requests. */
const RECEIVER = `
const http = require('node:http');
let count = 0;
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(204).end(); if (++count % 100 === 0) process.stdout.write(count + '\\n'); }); });
server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();`;

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { events: { type: 'string', default: '3000' } } });
  const events = Number(values.events);
  if (!Number.isInteger(events) || events < 100 || events % 100 !== 0) throw new Error('--events must be a multiple of 100');
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const port = Number(String((await lines.next()).value).split(' ')[1]);
  let received = 0;
  const waiters: (() => void)[] = [];
  void (async () => {
    for await (const line of { [Symbol.asyncIterator]: () => lines }) {
      received = Number(line);
      for (const wake of waiters.splice(0)) wake();
    }
  })();
  const untilReceived = async (count: number) => {
    while (received < count) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  const url = `http://127.0.0.1:${port}/hook`;

  async function throughServer(webhooks: boolean, offset: number): Promise<number> {
    const server = await startServer({
      config: {
        c2s_ports: [], c2s_direct_tls_ports: [], http_ports: [], https_ports: [], log_level: 'silent',
        ...(webhooks ? { modules_enabled: ['http_webhooks'], http_webhooks: [{ url, secret: `whsec_${randomBytes(32).toString('base64')}` }] } : {}),
        hosts: [VirtualHost('localhost'), Component('conference.localhost', 'muc')],
      },
      logLevel: 'silent', storage: 'memory', tls: false,
    });
    const muc = server.muc();
    const target = received + events; // the receiver counts in hundreds: keep `events` a multiple of 100
    const started = process.cpuUsage();
    for (let i = 0; i < events; i++) await muc.createRoom(`r${offset + i}@conference.localhost`);
    if (webhooks) await untilReceived(target);
    const ms = cpuMs(started);
    await server.stop();
    return ms;
  }

  async function bare(name: string, one: () => Promise<unknown>): Promise<number> {
    const target = received + events;
    const started = process.cpuUsage();
    let next = 0;
    await new Promise<void>((resolve) => {
      let done = 0;
      const go = (): void => {
        if (next >= events) return;
        next++;
        void one().then(() => (++done === events ? resolve() : go()));
      };
      for (let i = 0; i < 8; i++) go();
    });
    await untilReceived(target);
    return cpuMs(started) / events;
  }

  const body = Buffer.from('{"type":"room.created","timestamp":"2026-12-07T08:00:00.000Z","data":{"room":"r1@conference.localhost","creator":"a@localhost"}}');
  const headers = { 'content-type': 'application/json', 'webhook-id': 'msg_x', 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' };
  const agent = new Agent();
  // Warm-up of both HTTP paths and the server code, so that JIT compilation is not measured.
  await bare('warm fetch', () => fetch(url, { method: 'POST', body, headers, dispatcher: agent }).then((r) => r.arrayBuffer()));
  await bare('warm request', () => request(url, { method: 'POST', body, headers, dispatcher: agent }).then((r) => r.body.dump()));
  await throughServer(true, 0);
  const without = await throughServer(false, events);
  const withWebhooks = await throughServer(true, 2 * events);
  const fetchMs = await bare('fetch', () => fetch(url, { method: 'POST', body, headers, dispatcher: agent, signal: AbortSignal.timeout(15_000) }).then((r) => r.arrayBuffer()));
  const requestMs = await bare('request', () => request(url, { method: 'POST', body, headers, dispatcher: agent, signal: AbortSignal.timeout(15_000) }).then((r) => r.body.dump()));
  process.stdout.write(`${JSON.stringify({
    events,
    serverCpuMsPerWebhook: round((withWebhooks - without) / events, 3),
    roomCreateCpuMs: round(without / events, 3),
    bareFetchCpuMsPerRequest: round(fetchMs, 3),
    bareUndiciRequestCpuMsPerRequest: round(requestMs, 3),
  })}\n`);
  await agent.close();
  child.stdin.end();
}

main().catch((error: unknown) => {
  process.stderr.write(`webhooks-cost failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
