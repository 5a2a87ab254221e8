/**
 * An ejabberd (23.01) directory with the same bench accounts as Salon's and Prosody's: SCRAM-SHA-1
 * credentials derived here (PBKDF2 in libuv's pool), written as Erlang terms, and loaded into
 * ejabberd's Mnesia by one ejabberd start (`importExpression`): about 20 s for 6,000 accounts and
 * 100,000 roster items, where one `ejabberdctl register` per account costs a node start each.
 *
 * Layout: `<dir>/spool/` (Mnesia), `<dir>/accounts.eterm`, `<dir>/certs/localhost.{crt,key}`,
 * `<dir>/ejabberd.yml`, `<dir>/ejabberd.log` and, once everything is loaded, `<dir>/prepared.json`.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BENCH_PASSWORD, BENCH_SASL_ITERATIONS } from './bench-protocol.js';
import { benchImportUsers, type BenchAccounts, type ImportUser } from './bench-data.js';
import { ejabberdConfigText, ejabberdPaths, erlArguments, erlEnvironment, erlLibsFromEjabberdctl, importExpression } from './ejabberd-config.js';
import { scramSha1Credentials } from './scram-credentials.js';
import { writeSelfSignedCertificate } from './self-signed-certificate.js';

/** Accounts derived at once (PBKDF2 runs in libuv's pool). */
const IN_FLIGHT = 16;
/** ejabberd makes 16-byte salts (`ejabberd_auth:password_to_scram/3`). */
const SALT_BYTES = 16;
const EJABBERDCTL = '/usr/sbin/ejabberdctl';
/** The import must not hang a prepare step forever. */
const IMPORT_TIMEOUT_MS = 10 * 60_000;

/** An Erlang binary literal of ASCII text (bench names and base64 only). */
function binary(text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text) || /["\\]/.test(text)) throw new Error(`not a plain ASCII name: ${text}`);
  return `<<"${text}">>`;
}

function localPart(jid: string): string {
  return jid.slice(0, jid.indexOf('@'));
}

/** One account as the terms the import reads: `{user, Name, StoredKey, ServerKey, Salt}` (base64, as ejabberd stores them) and its roster. */
export async function accountTerms(user: ImportUser, salt: Buffer, iterations: number): Promise<string> {
  const { storedKey, serverKey } = await scramSha1Credentials(user.password, salt, iterations);
  const name = binary(localPart(user.jid));
  const lines = [`{user, ${name}, ${binary(storedKey.toString('base64'))}, ${binary(serverKey.toString('base64'))}, ${binary(salt.toString('base64'))}}.`];
  if (user.roster !== undefined) lines.push(`{roster, ${name}, [${user.roster.map((item) => binary(localPart(item.jid))).join(', ')}]}.`);
  return `${lines.join('\n')}\n`;
}

/** The ejabberd application's directory, as Debian's ejabberdctl sets it. */
export async function ejabberdErlLibs(): Promise<string> {
  return erlLibsFromEjabberdctl(await readFile(EJABBERDCTL, 'utf8').catch(() => ''));
}

/** Runs `erl` to completion; resolves with its output, rejects with it on a non-zero exit. */
function runErl(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('erl', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), IMPORT_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`erl exited (code ${code}, signal ${signal}):\n${output.slice(-3000)}`));
    });
  });
}

export interface PreparedEjabberd {
  /** Seconds deriving the credentials and writing the terms took. */
  deriveSeconds: number;
  /** Seconds the ejabberd import run took, start and stop included. */
  importSeconds: number;
  /** The import's own summary line. */
  summary: string;
}

/** Written last by a successful prepare: a directory without it holds no complete Mnesia. */
export function preparedMarker(dir: string): string {
  return join(dir, 'prepared.json');
}

/** Derives and writes the accounts, makes the certificate and loads everything into a fresh Mnesia. */
export async function prepareEjabberdData(dir: string, accounts: BenchAccounts): Promise<PreparedEjabberd> {
  const startedAt = performance.now();
  const paths = ejabberdPaths(dir);
  await rm(preparedMarker(dir), { force: true });
  await rm(paths.spool, { recursive: true, force: true });
  await mkdir(paths.spool, { recursive: true });
  const users = [...benchImportUsers(accounts)];
  if (users.some((user) => user.password !== BENCH_PASSWORD)) throw new Error('bench accounts all use the bench password');
  const terms: string[] = new Array<string>(users.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < users.length) {
      const index = next++;
      terms[index] = await accountTerms(users[index]!, randomBytes(SALT_BYTES), BENCH_SASL_ITERATIONS);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  await writeFile(paths.accounts, terms.join(''));
  const certificate = await writeSelfSignedCertificate(dir);
  await writeFile(paths.config, ejabberdConfigText({ port: undefined, certificate }));
  const derivedAt = performance.now();
  const output = await runErl(erlArguments(paths, importExpression(paths)), erlEnvironment(paths, await ejabberdErlLibs()));
  const summary = /^ejabberd import: .*$/m.exec(output)?.[0];
  if (summary === undefined) throw new Error(`the ejabberd import printed no summary:\n${output.slice(-3000)}`);
  const prepared = { deriveSeconds: (derivedAt - startedAt) / 1000, importSeconds: (performance.now() - derivedAt) / 1000, summary };
  await writeFile(preparedMarker(dir), `${JSON.stringify(prepared)}\n`);
  return prepared;
}
