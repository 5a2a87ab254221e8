/**
 * Archive disk bytes per message: a fixed number of 1:1 chat messages (archived for both parties,
 * so two archive items each) through the server, then the growth of its data directory: bytes
 * allocated on disk (what a disk fills with) and the files' apparent size, both per message.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchTarget } from './bench-target.js';
import { ElementScanner } from './element-scanner.js';
import type { LoadClient, SaslMechanismName } from './load-client.js';
import { resultLine, round, snapshot, usageBetween, type ResultLine } from './measure.js';

export interface ArchiveBytesOptions {
  scenario: string;
  pairs: number;
  /** Messages in flight per pair (closed loop). */
  window: number;
  /** Messages sent in all. */
  messages: number;
  mechanism: SaslMechanismName;
}

const BODY = 'Hello! This is a benchmark chat message of a typical length, about eighty bytes.';
/** Time for the server to write out what it buffers (archive batches, journals) before the size is read. */
const SETTLE_MS = 3_000;
const DELIVERY_TIMEOUT_MS = 120_000;

export interface DirectorySize {
  /** Sum of the files' sizes. */
  apparent: number;
  /** Sum of the blocks allocated to them (sparse and preallocated files count what they use). */
  allocated: number;
  files: number;
}

export async function directorySize(dir: string): Promise<DirectorySize> {
  const total: DirectorySize = { apparent: 0, allocated: 0, files: 0 };
  const walk = async (path: string): Promise<void> => {
    const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
    await Promise.all(entries.map(async (entry) => {
      const full = join(path, entry.name);
      if (entry.isDirectory()) return walk(full);
      const stat = await lstat(full).catch(() => undefined);
      if (stat === undefined || !stat.isFile()) return;
      total.apparent += stat.size;
      total.allocated += stat.blocks * 512;
      total.files++;
    }));
  };
  await walk(dir);
  return total;
}

async function connect(target: BenchTarget, options: ArchiveBytesOptions): Promise<LoadClient[]> {
  const clients = await Promise.all(Array.from({ length: options.pairs * 2 }, (_, i) => target.login(i, options.mechanism)));
  await Promise.all(clients.map((client, i) => client.roundTrip(`ready-${i}`)));
  return clients;
}

/** Sends `options.messages` over the pairs, each pair keeping `window` in flight; resolves when all were delivered. */
async function sendAll(target: BenchTarget, clients: LoadClient[], options: ArchiveBytesOptions): Promise<void> {
  const perPair = Math.ceil(options.messages / options.pairs);
  let outstanding = perPair * options.pairs;
  let failure: string | undefined;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  for (let p = 0; p < options.pairs; p++) {
    const sender = clients[p * 2]!;
    const receiver = clients[p * 2 + 1]!;
    const to = target.bareJid(p * 2 + 1);
    let sent = 0;
    const sendNext = (): void => {
      if (sent >= perPair) return;
      sender.send(`<message to='${to}' type='chat' id='b${p}.${sent++}'><body>${BODY}</body></message>`);
    };
    const scanner = new ElementScanner((element) => {
      if (!element.is('message')) return;
      if (--outstanding === 0) finish();
      sendNext();
    });
    receiver.readRaw((chunk) => scanner.write(chunk));
    const errors = new ElementScanner((element) => {
      if (element.is('message') && element.attributeEquals('type', 'error')) failure ??= element.text().slice(0, 400);
    });
    sender.readRaw((chunk) => errors.write(chunk));
    for (let i = 0; i < options.window; i++) sendNext();
  }
  const timer = setTimeout(() => {
    failure ??= `${outstanding} messages not delivered within ${DELIVERY_TIMEOUT_MS} ms`;
    finish();
  }, DELIVERY_TIMEOUT_MS);
  await done;
  clearTimeout(timer);
  if (failure !== undefined) throw new Error(failure);
}

/** Runs the scenario: value = bytes allocated on disk per message (both parties' archive items). */
export async function runArchiveBytes(target: BenchTarget, options: ArchiveBytesOptions): Promise<ResultLine> {
  const dir = target.dataDir;
  if (dir === undefined) throw new Error('archive-bytes needs a server with a data directory');
  const clients = await connect(target, options);
  try {
    await sleep(SETTLE_MS);
    const before = await directorySize(dir);
    const start = await snapshot(target);
    await sendAll(target, clients, options);
    const end = await snapshot(target);
    await sleep(SETTLE_MS);
    const after = await directorySize(dir);
    const messages = Math.ceil(options.messages / options.pairs) * options.pairs;
    const allocated = (after.allocated - before.allocated) / messages;
    const usage = usageBetween(start, end);
    return resultLine(options.scenario, { value: round(allocated, 1), unit: 'B/message' }, usage, {
      mechanism: options.mechanism, pairs: options.pairs, messages, bodyBytes: BODY.length,
      apparentBytesPerMessage: round((after.apparent - before.apparent) / messages, 1), allocatedBytesPerArchivedItem: round(allocated / 2, 1),
      dataMiBBefore: round(before.allocated / 1048576, 1), dataMiBAfter: round(after.allocated / 1048576, 1), filesAfter: after.files,
      messagesPerSecond: round(messages / usage.seconds, 1),
      measure: 'data directory growth (allocated blocks) / messages; each message is archived for sender and recipient',
    });
  } finally {
    await Promise.allSettled(clients.map((client) => client.close()));
  }
}
