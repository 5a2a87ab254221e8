import { expect, test } from '@jest/globals';
import { BackgroundSync, type SyncEnvironment } from '../../server/storage/lmdb-background-sync.js';

/** A sync function that records its calls and finishes each one when told to. */
function recordedSync(): { sync: SyncEnvironment; started: () => number; finish: (error?: unknown) => void } {
  const pending: Array<(error?: unknown) => void> = [];
  let started = 0;
  return {
    sync: (done) => {
      started++;
      pending.push(done);
    },
    started: () => started,
    finish: (error?: unknown) => pending.shift()!(error),
  };
}

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('commits made while a sync runs share the next sync, which starts after the running one', async () => {
  const recorded = recordedSync();
  const syncs = new BackgroundSync(recorded.sync, () => undefined);
  syncs.request();
  expect(recorded.started()).toBe(1);
  syncs.request();
  syncs.request();
  expect(recorded.started()).toBe(1); // one at a time
  recorded.finish();
  await settle(120); // past the gap between syncs
  expect(recorded.started()).toBe(2); // the two later requests share one sync
  recorded.finish();
  await settle(120);
  expect(recorded.started()).toBe(2); // nothing new committed: no sync
});

test('durable() resolves only after a sync that started after the call', async () => {
  const recorded = recordedSync();
  const syncs = new BackgroundSync(recorded.sync, () => undefined);
  syncs.request(); // a sync runs; it may not cover writes made after it started
  let durable = false;
  const waiting = syncs.durable().then(() => {
    durable = true;
  });
  recorded.finish();
  await settle(10);
  expect(durable).toBe(false);
  await settle(120);
  expect(recorded.started()).toBe(2);
  recorded.finish();
  await waiting;
  expect(durable).toBe(true);
});

test('a failed sync rejects its waiters, is reported when nobody waits, and the next commit syncs again', async () => {
  const recorded = recordedSync();
  const reported: unknown[] = [];
  const syncs = new BackgroundSync(recorded.sync, (error) => reported.push(error));
  const waiting = syncs.durable();
  recorded.finish(new Error('EIO'));
  await expect(waiting).rejects.toThrow('EIO');
  await settle(120);
  syncs.request();
  recorded.finish(new Error('EIO again'));
  expect(reported).toHaveLength(1);
  await settle(120);
  syncs.request();
  expect(recorded.started()).toBe(3);
  recorded.finish();
});

test('stop() syncs what was committed, then no more syncs start', async () => {
  const recorded = recordedSync();
  const syncs = new BackgroundSync(recorded.sync, () => undefined);
  const stopped = syncs.stop();
  recorded.finish();
  await stopped;
  syncs.request();
  await settle(120);
  expect(recorded.started()).toBe(1);
});
