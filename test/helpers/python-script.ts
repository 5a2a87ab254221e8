/**
 * Runs one of the interoperability scripts under test/interop/ with Debian's Python, where
 * python3-slixmpp is installed (.ci/run installs it), and collects what it printed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from '@jest/globals';

/** Debian's interpreter: the one python3-slixmpp is installed for. */
export const PYTHON = '/usr/bin/python3';

export interface ScriptOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The path of `test/interop/<name>`. */
export function interopScript(name: string): string {
  return join(process.cwd(), 'test', 'interop', name);
}

/**
 * Fails the test (never skips it) when slixmpp cannot be imported: install it with
 * `apt-get install -y python3-slixmpp`. Resolves with its version.
 */
export function expectSlixmpp(): string {
  const probe = spawnSync(PYTHON, ['-c', 'import slixmpp; print(slixmpp.__version__)'], { encoding: 'utf8' });
  expect({ slixmppAvailable: probe.status === 0, stderr: probe.stderr }).toEqual({ slixmppAvailable: true, stderr: '' });
  return probe.stdout.trim();
}

/** Runs the script with `args`; killed after `timeoutMs`. `SLIXMPP_DEBUG=1` adds `--debug`. */
export function runPythonScript(script: string, args: string[], timeoutMs: number): Promise<ScriptOutcome> {
  const all = process.env.SLIXMPP_DEBUG === undefined ? [script, ...args] : [script, ...args, '--debug'];
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, all, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
