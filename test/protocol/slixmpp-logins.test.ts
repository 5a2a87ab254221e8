/**
 * slixmpp (Debian's python3-slixmpp 1.8.3) with its default settings logs in 200 times in a row
 * from one address against `salon start` with no config file: the shipped defaults, nothing
 * lifted. Only ports (0, so the system picks free ones) and the data directory come from the
 * environment (SALON_*), as the README documents. test/interop/slixmpp_logins.py runs the 200
 * connect/login/disconnect cycles in one Python process and reports the SASL failures it saw.
 *
 * slixmpp picks SCRAM-SHA-256-PLUS first and binds with tls-unique, which TLS 1.3 does not define
 * (RFC 9266); the server offers tls-exporter only, so both -PLUS attempts fail. slixmpp then says
 * `y` (RFC 5802 §6: "I could bind, I think you cannot") on plain SCRAM, which a server that
 * offered -PLUS must refuse, and logs in with PLAIN inside TLS. Those four failures per login are
 * its own order's; none counts toward `limit_auth_max`, so the 200th login works like the first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { expectSlixmpp, interopScript, runPythonScript } from '../helpers/python-script.js';

const SCRIPT = interopScript('slixmpp_logins.py');
/** The package `bin`, as `salon` runs it (the build is a prerequisite of `npm test`). */
const CLI = join(process.cwd(), 'dist', 'cli.cjs');
const LOGINS = 200;

let dir: string;
let env: NodeJS.ProcessEnv;
let server: ChildProcess | undefined;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-slixmpp-logins-'));
  // No SALON_CONFIG and an empty working directory: `salon start` runs the embedded default.
  const { SALON_CONFIG: _ignored, ...inherited } = process.env;
  env = {
    ...inherited,
    SALON_DATA_PATH: join(dir, 'data'),
    SALON_C2S_PORT: '0',
    SALON_C2S_DIRECT_TLS_PORT: '0',
    SALON_HTTP_PORT: '0',
    SALON_HTTPS_PORT: '0',
  };
});
afterAll(async () => {
  if (server !== undefined && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

function salon(args: string[], input: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env, stdio: ['pipe', 'ignore', 'inherit'] });
    child.stdin.end(input);
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

/** Starts `salon start` and resolves with its client (STARTTLS) port from the "listening" line. */
function startServer(): Promise<number> {
  const child = spawn(process.execPath, [CLI, 'start'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  server = child;
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'listening' && entry.kind === 'c2s') resolve(Number(entry.port));
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`salon start exited with ${code}`)));
  });
}


test(`slixmpp with default settings logs in ${LOGINS} times in a row from one address on the shipped defaults`, async () => {
  expect(expectSlixmpp()).toBe('1.8.3');

  expect(await salon(['adduser', 'alice@localhost'], 'alice-secret\n')).toBe(0);
  const port = await startServer();
  const cafile = join(dir, 'data', 'certs', 'salon-selfsigned.crt'); // generated at first start

  const outcome = await runPythonScript(SCRIPT, ['--port', String(port), '--cafile', cafile, '--count', String(LOGINS)], 80_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  const report = JSON.parse(outcome.stdout) as Record<string, unknown>;
  expect(report).toEqual({
    logins: LOGINS,
    // Exactly the failures slixmpp's own order causes, the same on every login (see above).
    saslFailures: 4 * LOGINS,
    saslFailuresByKind: {
      'SCRAM-SHA-256-PLUS: malformed-request': LOGINS,
      'SCRAM-SHA-1-PLUS: malformed-request': LOGINS,
      'SCRAM-SHA-256: not-authorized': LOGINS,
      'SCRAM-SHA-1: not-authorized': LOGINS,
    },
    mechanisms: { PLAIN: LOGINS },
  });
  // None of them was a failed credential check, so nothing was counted or locked out.
  expect(logs.filter((line) => line.msg === 'login failed' || line.msg === 'address locked out: too many failed logins')).toEqual([]);
  expect(logs.filter((line) => line.msg === 'authenticated')).toHaveLength(LOGINS);
}, 100_000);
