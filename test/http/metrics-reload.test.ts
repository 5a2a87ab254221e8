/**
 * http_openmetrics on a config reload: changed access options apply in place (`reconfigure`),
 * without unloading the module, and the counters go on from where they were.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { moduleCatalog } from '../../module-catalog.js';
import { startServer, type RunningServer } from '../../salon.js';
import { loadConfig } from '../../server/config/index.js';
import { scrape, valueOf } from '../helpers/metrics-scrape.js';
import { RawClient } from '../helpers/raw-client.js';
import { recordingLogger } from '../helpers/recording-logger.js';

let dir: string;
let server: RunningServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-metrics-reload-'));
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(options: string): Promise<void> {
  await writeFile(join(dir, 'salon.config.ts'), `import { defineConfig, VirtualHost } from 'salon';
export default defineConfig({
  c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], http_ports: [0], https_ports: [],
  http_interfaces: ['127.0.0.1'], c2s_require_encryption: false, allow_unencrypted_plain_auth: true,
  data_path: 'data', sasl_iterations: 4096, log_level: 'info',
  modules_enabled: ['http_openmetrics'],
  ${options}
  hosts: [VirtualHost('localhost')],
});
`);
}

/** alice logs in without TLS (this server has none): SASL PLAIN, restart, bind. */
async function plainLogin(port: number): Promise<RawClient> {
  const client = await RawClient.connect(port);
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features');
  client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0alice\0alice-secret').toString('base64')}</auth>`);
  await client.waitFor((el) => el.name === 'success');
  client.restartParser();
  const seen = client.received.length;
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features', 3000, seen);
  client.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
  await client.waitFor((el) => el.attrs.id === 'b1' && el.attrs.type === 'result', 3000, seen);
  return client;
}

test('a reload that allows the scraper\'s address opens /metrics at once; the counts carry on', async () => {
  await writeConfig(`openmetrics_allow_ips: ['192.0.2.1'],`);
  const loaded = await loadConfig({ configPath: 'salon.config.ts', env: {}, cwd: dir, catalog: moduleCatalog });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  server = await startServer({ config: loaded.value, logger: recordingLogger('info').logger, storage: 'memory', users: { alice: 'alice-secret' }, cwd: dir, tls: false });
  const client = await plainLogin(server.c2s!.port);
  try {
    expect((await scrape(server.httpUrl!)).reply.status).toBe(403);
    await writeConfig(`openmetrics_allow_ips: ['127.0.0.1'],`);
    const report = await server.reload();
    expect(report.ok).toBe(true);
    expect(report.needsRestart).toEqual([]);
    const scraped = await scrape(server.httpUrl!);
    expect(scraped.reply.status).toBe(200);
    expect(valueOf(scraped, 'salon_mod_saslauth__successes_total')).toBe(1);
    expect(valueOf(scraped, 'salon_mod_c2s__sessions', { host: 'localhost', transport: 'tcp' })).toBe(1);
  } finally {
    client.close();
  }
});
