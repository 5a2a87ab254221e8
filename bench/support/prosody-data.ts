/**
 * A Prosody (0.12) directory with the same bench accounts as Salon's: data files written directly
 * in Prosody's `internal` storage format (much faster than one `prosodyctl adduser` per account),
 * SCRAM-SHA-1 keys as `mod_auth_internal_hashed` stores them, and a self-signed EC P-256
 * certificate like the one Salon makes for itself.
 *
 * Layout: `<dir>/data/localhost/accounts/<user>.dat`, `<dir>/data/localhost/roster/<user>.dat`,
 * `<dir>/certs/localhost.{crt,key}`.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BENCH_DOMAIN, BENCH_PASSWORD, BENCH_SASL_ITERATIONS } from './bench-protocol.js';
import { benchImportUsers, type BenchAccounts, type ImportUser } from './bench-data.js';
import { scramSha1Credentials } from './scram-credentials.js';
import { writeSelfSignedCertificate } from './self-signed-certificate.js';

/** Accounts derived and written at once (PBKDF2 runs in libuv's pool). */
const IN_FLIGHT = 16;

/** A Lua string literal; the bench only writes ASCII names, so escaping quotes and backslashes is enough. */
function lua(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** util.datamanager's file name encoding: every non-alphanumeric byte as %xx. */
export function prosodyEncode(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The account file: mod_auth_internal_hashed's SCRAM-SHA-1 credentials (hex keys, salt string). */
export async function accountFile(password: string, salt: string, iterations: number): Promise<string> {
  const { storedKey, serverKey } = await scramSha1Credentials(password, salt, iterations);
  return `return {\n\t["iteration_count"] = ${iterations};\n\t["salt"] = ${lua(salt)};\n`
    + `\t["server_key"] = ${lua(serverKey.toString('hex'))};\n\t["stored_key"] = ${lua(storedKey.toString('hex'))};\n};\n`;
}

/** The roster file: `[false]` holds the metadata, then one entry per contact (core/rostermanager.lua). */
export function rosterFile(contacts: NonNullable<ImportUser['roster']>): string {
  const items = contacts.map((c) => `\t[${lua(c.jid)}] = { ["subscription"] = ${lua(c.subscription)}; ["groups"] = { ${c.groups.map((g) => `[${lua(g)}] = true;`).join(' ')} }; };\n`);
  return `return {\n\t[false] = { ["version"] = 1; ["pending"] = {}; };\n${items.join('')}};\n`;
}

async function writeUser(hostDir: string, user: ImportUser): Promise<void> {
  const local = user.jid.slice(0, user.jid.indexOf('@'));
  const file = `${prosodyEncode(local)}.dat`;
  await writeFile(join(hostDir, 'accounts', file), await accountFile(user.password, randomUUID(), BENCH_SASL_ITERATIONS));
  if (user.roster !== undefined) await writeFile(join(hostDir, 'roster', file), rosterFile(user.roster));
}

/** Writes the data files and the certificate; returns the seconds it took. */
export async function prepareProsodyData(dir: string, accounts: BenchAccounts): Promise<number> {
  const startedAt = performance.now();
  const hostDir = join(dir, 'data', prosodyEncode(BENCH_DOMAIN));
  await mkdir(join(hostDir, 'accounts'), { recursive: true });
  await mkdir(join(hostDir, 'roster'), { recursive: true });
  const users = [...benchImportUsers(accounts)];
  if (users.some((user) => user.password !== BENCH_PASSWORD)) throw new Error('bench accounts all use the bench password');
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < users.length) await writeUser(hostDir, users[next++]!);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  await writeSelfSignedCertificate(dir);
  return (performance.now() - startedAt) / 1000;
}
