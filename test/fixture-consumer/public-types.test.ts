/**
 * The package's declaration files, as a consumer's compiler reads them (`dist/`, built by
 * `npm run build` before the suite runs): every type of the package that an export of `salon` or
 * `salon/testing` names in its signature must itself be exported, so a consumer can name it. The
 * core's internals (hosts, the router, hook buses, sessions, storage drivers) are named by none.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@jest/globals';
import { unexportedTypes } from '../helpers/declaration-closure.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const ENTRIES = [`${DIST}salon.d.ts`, `${DIST}server/testing/index.d.ts`];

test('every package type named by the exports of salon and salon/testing is exported by one of them', () => {
  const missing = unexportedTypes(ENTRIES, DIST).map((type) => `${type.name} (${type.file}, via ${type.via})`);
  expect(missing).toEqual([]);
});

test('the public declarations name no internals of the core', async () => {
  const declarations = await Promise.all(ENTRIES.map((entry) => readFile(entry, 'utf8')));
  const running = declarations[0]!.slice(declarations[0]!.indexOf('export interface RunningServer'));
  expect(running.slice(0, running.indexOf('\n}'))).not.toMatch(/\bcore\b|ServerCore/);
  for (const text of declarations) expect(text).not.toMatch(/\b(ServerCore|Router|HookBus|SessionLocator|StorageDriver)\b/);
});

test('ConfigValidationError.errors has an exported element type', async () => {
  const salon = await readFile(ENTRIES[0]!, 'utf8');
  expect(salon).toMatch(/readonly errors: readonly ConfigError\[\]/);
  expect(salon).toMatch(/export type \{ ConfigError \}/);
});
