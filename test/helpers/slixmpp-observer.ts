/**
 * Drives test/interop/slixmpp_observer.py: slixmpp clients (Debian's python3-slixmpp) log in to a
 * test server, send raw XML, ping, and report every stanza they receive and every disconnection.
 * slixmpp parses with expat, which refuses XML that is not namespace-well-formed (and then drops
 * the connection), so it is the receiving end that notices what a lax parser would let pass.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';

import { PYTHON } from './python-script.js';
const SCRIPT = join(process.cwd(), 'test', 'interop', 'slixmpp_observer.py');

/** A received element as slixmpp saw it: `{uri}local` tags, attributes as parsed. */
export interface SlixElement {
  tag: string;
  attrs: Record<string, string>;
  children: SlixElement[];
}

export type SlixEvent =
  | { event: 'online'; jid: string }
  | { event: 'login-failed'; jid: string; error: string }
  | { event: 'stanza'; jid: string; xml: SlixElement }
  | { event: 'disconnected'; jid: string; reason: string }
  | { event: 'pong'; jid: string }
  | { event: 'ping-failed'; jid: string; error: string };

export class SlixmppObserver {
  readonly events: SlixEvent[] = [];
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #directory: string;
  #stderr = '';
  #exited = false;
  #wake: (() => void)[] = [];

  private constructor(child: ChildProcessWithoutNullStreams, directory: string) {
    this.#child = child;
    this.#directory = directory;
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        this.events.push(JSON.parse(pending.slice(0, newline)) as SlixEvent);
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
      this.#notify();
    });
    child.stderr.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
    child.on('close', () => {
      this.#exited = true;
      this.#notify();
    });
  }

  /** Starts the observer against `port`, trusting `certificate`. Fails clearly without slixmpp. */
  static async start(port: number, certificate: string): Promise<SlixmppObserver> {
    const probe = spawnSync(PYTHON, ['-c', 'import slixmpp'], { encoding: 'utf8' });
    // A clear failure, not a skip: install with `apt-get install -y python3-slixmpp` (see .ci/run).
    expect({ slixmppAvailable: probe.status === 0, stderr: probe.stderr }).toEqual({ slixmppAvailable: true, stderr: '' });
    const directory = await mkdtemp(join(tmpdir(), 'salon-slix-'));
    const cafile = join(directory, 'server.pem');
    await writeFile(cafile, certificate);
    const args = [SCRIPT, '--port', String(port), '--cafile', cafile];
    if (process.env.SLIXMPP_DEBUG !== undefined) args.push('--debug');
    return new SlixmppObserver(spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] }), directory);
  }

  /** Logs `bare` in with `resource`; resolves with the full JID once the session started. */
  async login(bare: string, password: string, resource = 'slix'): Promise<string> {
    const from = this.events.length;
    this.#command({ cmd: 'login', jid: bare, password, resource });
    const online = await this.waitFor((e) => (e.event === 'online' && e.jid.startsWith(`${bare}/`)) || (e.event === 'login-failed' && e.jid === bare), 15_000, from);
    if (online.event !== 'online') throw new Error(`login failed: ${JSON.stringify(online)}`);
    return online.jid;
  }

  /** Sends `xml` exactly as written from the client `jid`. */
  raw(jid: string, xml: string): void {
    this.#command({ cmd: 'raw', jid, xml });
  }

  /** A ping to the server: answered only if the client is still connected and parsing. */
  async ping(jid: string): Promise<SlixEvent> {
    const from = this.events.length;
    this.#command({ cmd: 'ping', jid });
    return this.waitFor((e) => (e.event === 'pong' || e.event === 'ping-failed') && e.jid === jid, 10_000, from);
  }

  stanzas(jid: string): SlixElement[] {
    return this.events.flatMap((e) => (e.event === 'stanza' && e.jid === jid ? [e.xml] : []));
  }

  disconnections(): SlixEvent[] {
    return this.events.filter((e) => e.event === 'disconnected');
  }

  async waitFor(predicate: (event: SlixEvent) => boolean, timeoutMs = 5000, from = 0): Promise<SlixEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(predicate);
      if (found !== undefined) return found;
      const remaining = deadline - Date.now();
      if (this.#exited || remaining <= 0) {
        throw new Error(`${this.#exited ? 'observer exited' : 'timed out'}; events: ${JSON.stringify(this.events)}\n${this.#stderr}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async stop(): Promise<void> {
    if (!this.#exited) {
      this.#command({ cmd: 'quit' });
      const exited = new Promise<void>((resolve) => this.#child.once('close', () => resolve()));
      const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(this.#directory, { recursive: true, force: true });
  }

  #command(command: Record<string, string>): void {
    this.#child.stdin.write(`${JSON.stringify(command)}\n`);
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = [];
    for (const resolve of wake) resolve();
  }
}

/** The children of `element` with tag `{uri}local`. */
export function childrenNamed(element: SlixElement, tag: string): SlixElement[] {
  return element.children.filter((child) => child.tag === tag);
}
