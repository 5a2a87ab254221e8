import { afterAll, describe, test, expect } from '@jest/globals';
import { BenchServer } from '../../bench/support/server-process.js';
import { LoadClient } from '../../bench/support/load-client.js';

let server: BenchServer | undefined;
afterAll(() => server?.stop());

describe('bench server process', () => {
  test('listens, answers stats, accepts the bench accounts, and exits when its stdin ends', async () => {
    server = await BenchServer.start({ users: 3, tls: true, core: undefined });
    const { port, directTlsPort, pid, certificate } = server.ready;
    expect(port).toBeGreaterThan(0);
    expect(directTlsPort).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    const before = await server.stats();
    const client = await LoadClient.login({
      host: '127.0.0.1', port, domain: 'localhost', username: 'user2', password: 'pw', mechanism: 'PLAIN', tls: 'starttls', ca: certificate,
    });
    await client.close();
    const after = await server.stats();
    expect(after.rss).toBeGreaterThan(0);
    expect(after.cpuUser + after.cpuSystem).toBeGreaterThan(before.cpuUser + before.cpuSystem);
    expect(after.wallMs).toBeGreaterThan(before.wallMs);
    await server.stop();
    expect(server.exitReason).toMatch(/code 0/);
  }, 90_000);
});
