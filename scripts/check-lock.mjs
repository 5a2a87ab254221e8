#!/usr/bin/env node
// Fails when package-lock.json has a package entry without a version. Older npm releases wrote
// such placeholders for optional platform packages, and npm 11.19 then refuses the whole lock
// with "Invalid Version" on a machine whose cache does not already hold those packages.
import { readFileSync } from 'node:fs';

const lockPath = process.argv[2] ?? new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const missing = Object.entries(lock.packages ?? {})
  .filter(([path, entry]) => path !== '' && entry.link !== true && typeof entry.version !== 'string')
  .map(([path]) => path);
if (lock.lockfileVersion !== 3) {
  console.error(`package-lock.json: lockfileVersion ${lock.lockfileVersion}, expected 3 (npm 11)`);
  process.exit(1);
}
if (missing.length > 0) {
  console.error(`package-lock.json: ${missing.length} entries without a version:\n  ${missing.join('\n  ')}`);
  console.error('Regenerate it with the npm named in README.md and check npm ci in a fresh clone with an empty cache.');
  process.exit(1);
}
console.log(`package-lock.json: ${Object.keys(lock.packages ?? {}).length - 1} entries, all versioned`);
