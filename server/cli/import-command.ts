/**
 * `salon import FILE`: bulk creation of accounts (SCRAM keys with the configured `sasl_iterations`)
 * and rosters into the configured storage. Re-running it is harmless: an account that exists gets
 * the file's password, a roster in the file replaces the stored one.
 *
 * Key derivation dominates (two PBKDF2 runs per account, one per stored hash). Node runs PBKDF2 in
 * libuv's thread pool, so a bounded number of accounts is kept in flight: enough to keep every
 * pool thread busy while others wait on file writes, few enough to keep memory flat.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { ACCOUNTS_STORE, openAccountStore, prepareSaslString, type AccountStore } from '../accounts/index.js';
import { coreOptionsFor, findHost, resolvedDataPath, type ServerConfig } from '../config/index.js';
import { createStorageDriver, type StorageRouter } from '../storage/index.js';
import { complain, Exit, type CommandContext, type ExitCode } from './command-context.js';
import { detectFormat, parseImportFile, type ImportEntry } from './import-file.js';
import { configName, loadForCommand } from './load-for-command.js';
import type { RosterImportTarget } from './roster-import-target.js';

/** What one import did, for the summary line. */
interface ImportCounts {
  created: number;
  updated: number;
  rosters: number;
  contacts: number;
}

/** Per host: its accounts, and its rosters when the file has any. */
interface HostStores {
  accounts: AccountStore;
  rosters: RosterImportTarget | undefined;
}

/** Accounts in flight: libuv's pool (UV_THREADPOOL_SIZE, default 4) or the cores, doubled. */
export function importConcurrency(env: NodeJS.ProcessEnv): number {
  const pool = Number(env.UV_THREADPOOL_SIZE);
  const threads = Number.isInteger(pool) && pool > 0 ? pool : 4;
  return 2 * Math.max(threads, availableParallelism());
}

/** Runs `task` over `items` with at most `limit` in flight; the first failure rejects. */
async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** Users whose domain is not a VirtualHost of the config, as messages. */
function foreignUsers(config: ServerConfig, entries: readonly ImportEntry[], ctx: CommandContext): string[] {
  const where = configName(config, ctx) ?? 'the built-in default config';
  const bad = new Set(entries.filter((entry) => findHost(config, entry.jid.domain)?.kind !== 'user').map((entry) => entry.jid.domain));
  return [...bad].map((domain) => `"${domain}" is not a VirtualHost in ${where}`);
}

async function importEntry(entry: ImportEntry, stores: HostStores, counts: ImportCounts): Promise<void> {
  const created = await stores.accounts.create(entry.jid.local, entry.password);
  if (created.ok) counts.created++;
  else if (created.error === 'exists') {
    const changed = await stores.accounts.setPassword(entry.jid.local, entry.password);
    if (!changed.ok) throw new Error(`${entry.jid.toString()}: ${changed.error}`);
    counts.updated++;
  } else throw new Error(`${entry.jid.toString()}: ${created.error}`);
  if (entry.roster === undefined || stores.rosters === undefined) return;
  await stores.rosters.replace(entry.jid, entry.roster);
  counts.rosters++;
  counts.contacts += entry.roster.length;
}

/** Opens one driver for the whole import; a host with its own `storage` setting gets its own. */
function openDriver(ctx: CommandContext, config: ServerConfig, host: string): StorageRouter | undefined {
  const core = coreOptionsFor(config, host);
  const driver = createStorageDriver(core.storage, resolvedDataPath(config, ctx.deps.cwd), core.sql, { archiveSync: core.archive_sync });
  if (!driver.ok) {
    complain(ctx, driver.error);
    return undefined;
  }
  if (driver.value.driverFor(ACCOUNTS_STORE) === 'memory') {
    complain(ctx, `warning: accounts of ${host} use the "memory" storage driver; the import is lost when the command exits`);
  }
  return driver.value;
}

async function readEntries(ctx: CommandContext, path: string): Promise<ImportEntry[] | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    complain(ctx, `cannot read ${path}: ${(error as Error).message}`);
    return undefined;
  }
  const parsed = parseImportFile(text, detectFormat(path, text));
  if (parsed.ok) return parsed.value;
  for (const problem of parsed.error) complain(ctx, `${path}: ${problem}`);
  return undefined;
}

/** Runs `salon import FILE`. */
export async function runImportCommand(ctx: CommandContext): Promise<ExitCode> {
  const path = resolve(ctx.deps.cwd, ctx.positionals[0] ?? '');
  const entries = await readEntries(ctx, path);
  if (entries === undefined) return Exit.Usage;
  const config = await loadForCommand(ctx);
  if (config === undefined) return Exit.Usage;
  const problems = foreignUsers(config, entries, ctx);
  for (const entry of entries) {
    const prepared = prepareSaslString(entry.password);
    // RFC 4013: what SASLprep refuses (control characters, unassigned code points) cannot be stored.
    if (prepared === undefined || prepared === '') problems.push(`${entry.jid.toString()}: the password is not valid`);
  }
  if (entries.some((entry) => entry.roster !== undefined) && ctx.deps.rosterImporter === undefined) {
    problems.push('this build cannot import rosters');
  }
  for (const problem of problems) complain(ctx, problem);
  if (problems.length > 0) return Exit.Usage;
  return importAll(ctx, config, entries);
}

async function importAll(ctx: CommandContext, config: ServerConfig, entries: readonly ImportEntry[]): Promise<ExitCode> {
  const startedAt = performance.now();
  const counts: ImportCounts = { created: 0, updated: 0, rosters: 0, contacts: 0 };
  const drivers: StorageRouter[] = [];
  const stores = new Map<string, HostStores>();
  try {
    for (const host of new Set(entries.map((entry) => entry.jid.domain))) {
      const driver = openDriver(ctx, config, host);
      if (driver === undefined) return Exit.Usage;
      drivers.push(driver);
      const accounts = openAccountStore(driver, host, { iterations: coreOptionsFor(config, host).sasl_iterations });
      stores.set(host, { accounts, rosters: ctx.deps.rosterImporter?.(driver, host) });
    }
    await forEachLimited(entries, importConcurrency(ctx.deps.env), (entry) => importEntry(entry, stores.get(entry.jid.domain)!, counts));
    await Promise.all(drivers.map((driver) => driver.flush()));
  } catch (error) {
    complain(ctx, `import failed: ${(error as Error).message}`);
    return Exit.Failure;
  } finally {
    await Promise.all(drivers.map((driver) => driver.close()));
  }
  const seconds = (performance.now() - startedAt) / 1000;
  ctx.io.stdout.write(`imported ${entries.length} accounts (${counts.created} created, ${counts.updated} updated) and ${counts.rosters} rosters `
    + `(${counts.contacts} contacts) in ${seconds.toFixed(1)} s\n`);
  return Exit.Ok;
}
