/**
 * `stop()` releases everything the server holds: an application that embeds it (or a test suite
 * using the fixture) must be able to exit as soon as the server is stopped. Each scenario runs in
 * a child process, where `process.getActiveResourcesInfo()` sees only the server's handles, and
 * leaves one connection in a state that once left a timer behind. In particular a STARTTLS
 * handshake the peer abandons (RFC 6120 §5.4.3.3: the peer may close the TCP connection when
 * TLS negotiation fails) must not keep its handshake timer running after the socket is gone.
 */
import { beforeAll, describe, test, expect } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../helpers/stop-handles-child.mjs', import.meta.url));
const SCENARIOS = ['abandoned-starttls', 'rejected-certificate', 'open-tls-stream'] as const;
/** The child compiles the server's TypeScript sources on start, which takes seconds on a busy machine. */
const CHILD_DEADLINE_MS = 50_000;

interface Report {
  scenario: string;
  left: string[];
}

/** Runs every scenario in one child; resolves with its reports once it has exited with 0. */
function runChild(): Promise<Report[]> {
  const child = spawn(process.execPath, [CHILD, ...SCENARIOS], { stdio: ['ignore', 'pipe', 'pipe'] });
  const reports: Report[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  createInterface({ input: child.stdout }).on('line', (line) => reports.push(JSON.parse(line) as Report));
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => child.kill('SIGKILL'), CHILD_DEADLINE_MS);
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      if (code === 0) resolve(reports);
      else reject(new Error(`child ended with ${signal ?? code}: ${stderr}`));
    });
  });
}

let reports: Report[];

// Raised from the 20 s default: the child compiles the sources once, then runs three servers.
beforeAll(async () => {
  reports = await runChild();
}, CHILD_DEADLINE_MS + 5_000);

describe('after stop()', () => {
  test('every scenario ran', () => {
    expect(reports.map((r) => r.scenario)).toEqual([...SCENARIOS]);
  });

  test.each(SCENARIOS)('no handle is left once a client is in state %s', (scenario) => {
    expect(reports.find((r) => r.scenario === scenario)?.left).toEqual([]);
  });
});
