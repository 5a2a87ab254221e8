/**
 * The README's recipes for starting `salon fixture` from another language, run as they are
 * written: a pytest fixture and a POSIX shell script, each in a project directory whose
 * `node_modules/.bin/salon` is this build's executable. Each must stop the server it started.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { isProcessGone } from '../helpers/process-state.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from '@jest/globals';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = join(ROOT, 'README.md');

let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'salon-readme-recipes-'));
  await mkdir(join(project, 'node_modules', '.bin'), { recursive: true });
  await symlink(join(ROOT, 'dist', 'cli.cjs'), join(project, 'node_modules', '.bin', 'salon'));
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

/** The first fenced block of `language` in the fixture section whose text contains `marker`. */
async function recipe(language: string, marker: string): Promise<string> {
  const text = await readFile(README, 'utf8');
  const section = text.slice(text.indexOf('#### When it stops'));
  const block = [...section.matchAll(/```(\w+)\n([^]*?)```/g)].find((match) => match[1] === language && match[2]!.includes(marker));
  if (block === undefined) throw new Error(`README.md has no ${language} block with ${marker} after "#### When it stops"`);
  return block[2]!;
}

/**
 * Runs a command in the project; resolves once it and everything that inherited its standard
 * error (the fixture does) have exited: 'close' comes only when the last holder of the pipe is gone.
 */
function runToClose(command: string, args: readonly string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, XDG_CACHE_HOME: join(project, 'cache') } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}


/** A client's first step: the stream header, then the features (PLAIN is offered with --no-tls). */
const PYTHON_TEST = `import socket

def test_the_server_answers(salon):
    with open("seen.txt", "w") as seen:
        seen.write(str(salon["SALON_PID"]))
    with socket.create_connection(("127.0.0.1", salon["SALON_C2S_PORT"]), timeout=5) as s:
        s.sendall(b"<stream:stream to='localhost' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>")
        data = b""
        while b"</stream:features>" not in data:
            chunk = s.recv(4096)
            assert chunk
            data += chunk
    assert b"<mechanism>PLAIN</mechanism>" in data
`;

/**
 * The CI machine has python3 (for slixmpp) but not pytest: a stand-in `pytest` module and a runner
 * drive the fixture as pytest does (set-up up to `yield`, the test, then the rest as tear-down).
 */
const PYTEST_STAND_IN = `def fixture(*args, **kwargs):
    return lambda function: function
`;
const RUN_LIKE_PYTEST = `import conftest, test_salon
session = conftest.salon()
test_salon.test_the_server_answers(next(session))
for _ in session:
    pass
`;

test('the pytest fixture: the test sees the server, and the server is gone when the session ends', async () => {
  const dir = await mkdtemp(join(project, 'pytest-'));
  await symlink(join(project, 'node_modules'), join(dir, 'node_modules'));
  await writeFile(join(dir, 'conftest.py'), await recipe('python', '@pytest.fixture'));
  await writeFile(join(dir, 'test_salon.py'), PYTHON_TEST);
  await writeFile(join(dir, 'pytest.py'), PYTEST_STAND_IN);
  await writeFile(join(dir, 'run.py'), RUN_LIKE_PYTEST);
  const run = await runToClose('python3', ['run.py'], dir);
  expect([run.code, run.stderr]).toEqual([0, '']);
  const pid = Number(await readFile(join(dir, 'seen.txt'), 'utf8'));
  expect(pid).toBeGreaterThan(0);
  expect(isProcessGone(pid)).toBe(true);
}, 60_000);

test('the shell recipe: the tests see the variables, and the trap stops the server', async () => {
  const dir = await mkdtemp(join(project, 'sh-'));
  await symlink(join(project, 'node_modules'), join(dir, 'node_modules'));
  await writeFile(join(dir, 'recipe.sh'), await recipe('sh', 'run-my-tests.sh'));
  // The project's own tests: here they check that the variables are exported and the port answers.
  await writeFile(join(dir, 'run-my-tests.sh'), `#!/bin/sh
echo "$SALON_PID $SALON_USER_ALICE_JID" > seen.txt
exec ${JSON.stringify(process.execPath)} -e 'require("net").connect(Number(process.env.SALON_C2S_PORT), "127.0.0.1", () => process.exit(0)).on("error", () => process.exit(1))'
`);
  await chmod(join(dir, 'run-my-tests.sh'), 0o755);
  const run = await runToClose('sh', ['recipe.sh'], dir);
  expect([run.code, run.stderr]).toEqual([0, '']);
  const [pid, jid] = (await readFile(join(dir, 'seen.txt'), 'utf8')).trim().split(' ');
  expect(jid).toBe('alice@localhost');
  expect(isProcessGone(Number(pid))).toBe(true);
}, 60_000);
