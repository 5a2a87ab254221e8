/**
 * Runs one of our slixmpp scripts (test/interop/) against a test server: the server's
 * certificate goes to a temporary CA file the script trusts, and the standard arguments
 * (`--port`, `--cafile`, `--timeout`) come first. slixmpp is a requirement of the test suite:
 * without it the calling test fails.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectSlixmpp, interopScript, runPythonScript, type ScriptOutcome } from './python-script.js';

export interface SlixmppTarget {
  readonly port: number;
  readonly certificate: string | undefined;
}

export interface SlixmppRunOptions {
  /** Arguments after the standard ones. */
  readonly args?: readonly string[];
  /** The script's own `--timeout` in seconds (default 10). */
  readonly scriptTimeoutSeconds?: number;
  /** How long the process may run (default 15 s). */
  readonly timeoutMs?: number;
}

export async function runSlixmppScript(server: SlixmppTarget, script: string, options: SlixmppRunOptions = {}): Promise<ScriptOutcome> {
  expectSlixmpp();
  const directory = await mkdtemp(join(tmpdir(), 'salon-slixmpp-'));
  try {
    const cafile = join(directory, 'server.pem');
    await writeFile(cafile, server.certificate!);
    const args = ['--port', String(server.port), '--cafile', cafile, '--timeout', String(options.scriptTimeoutSeconds ?? 10), ...(options.args ?? [])];
    return await runPythonScript(interopScript(script), args, options.timeoutMs ?? 15_000);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
