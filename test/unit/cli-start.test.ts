import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isServerConfig, type ServerConfig } from '../../server/config/index.js';
import { runSalon } from '../helpers/cli-harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-cli-start-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A server stand-in: records the config it was started with and how often it was stopped. */
function fakeServer(stop: () => Promise<void>) {
  const started: ServerConfig[] = [];
  let stops = 0;
  const signals = new EventEmitter();
  const startServer = async ({ config }: { config: ServerConfig }) => {
    started.push(config);
    queueMicrotask(() => signals.emit('SIGTERM'));
    return { stop: () => { stops += 1; return stop(); } };
  };
  return { started, signals, startServer, stops: () => stops };
}

test('start validates the config, starts, and stops on SIGTERM with exit 0', async () => {
  const fake = fakeServer(async () => undefined);
  const run = await runSalon(['start'], {
    cwd: dir, env: { SALON_LOG_LEVEL: 'silent', SALON_C2S_PORT: '0' },
    deps: { startServer: fake.startServer, signals: fake.signals },
  });
  expect(run.code).toBe(0);
  expect(fake.stops()).toBe(1);
  expect(fake.started).toHaveLength(1);
  expect(isServerConfig(fake.started[0])).toBe(true);
  expect(fake.started[0]?.globals.c2s_ports).toEqual([0]);
  expect(fake.signals.listenerCount('SIGINT') + fake.signals.listenerCount('SIGTERM')).toBe(0);
});

test('a stop that outlives the deadline exits 1', async () => {
  const fake = fakeServer(() => new Promise<void>(() => undefined));
  const run = await runSalon(['start'], {
    cwd: dir, env: { SALON_LOG_LEVEL: 'silent' },
    deps: { startServer: fake.startServer, signals: fake.signals, stopTimeoutMs: 50 },
  });
  expect(run.code).toBe(1);
});

test('a failing start exits 1; an invalid config exits 2 without starting', async () => {
  const signals = new EventEmitter();
  const failing = await runSalon(['start'], {
    cwd: dir, env: { SALON_LOG_LEVEL: 'silent' },
    deps: { startServer: async () => { throw new Error('port in use'); }, signals },
  });
  expect(failing.code).toBe(1);
  expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  expect(failing.stderr).toBe('salon: start-up failed: port in use\n');
  const fake = fakeServer(async () => undefined);
  const invalid = await runSalon(['start'], { cwd: dir, env: { SALON_LOG_LEVEL: 'loud' }, deps: { startServer: fake.startServer } });
  expect(invalid.code).toBe(2);
  expect(fake.started).toHaveLength(0);
});
