import { expect, test } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPrefs } from '../../im/mam/archive-prefs.js';
import { PrefsStore } from '../../im/mam/prefs-store.js';
import { createJsonFileDriver } from '../../server/storage/json-file-driver.js';

test('prefs removed by another process (salon deluser) are not served from the cache', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'salon-prefs-'));
  // Two drivers on one data directory: the server and a `salon` command beside it.
  const server = createJsonFileDriver(dir);
  const command = createJsonFileDriver(dir);
  const prefs = new PrefsStore(server.open<unknown>('localhost', 'archive_prefs'), defaultPrefs(true));
  try {
    await prefs.set('alice', { default: 'never', always: [], never: [] });
    expect((await prefs.get('alice')).default).toBe('never');
    await command.open<unknown>('localhost', 'archive_prefs').delete('alice');
    const deadline = Date.now() + 5_000;
    while ((await prefs.get('alice')).default !== 'always' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect((await prefs.get('alice')).default).toBe('always');
  } finally {
    prefs.close();
    await Promise.all([server.close(), command.close()]);
    await rm(dir, { recursive: true, force: true });
  }
});
