/** `salon admin-token`: a new token on stdout, its config entry (digest, scopes) on stderr. */
import { describe, expect, test } from '@jest/globals';
import { tmpdir } from 'node:os';
import { runSalon } from '../helpers/cli-harness.js';
import { tokenDigest } from '../../server/crypto/index.js';
import { validateConfig, VirtualHost } from '../../server/config/index.js';
import { moduleCatalog } from '../../module-catalog.js';

const cwd = tmpdir();

/** The entry printed on stderr: `{ name: '…', hash: '…', scopes: ['…', …] }`. */
function printedEntry(stderr: string): { name: string; hash: string; scopes: string[] } {
  const match = /\{ name: '([^']*)', hash: '([^']*)', scopes: \[([^\]]*)\] \},/.exec(stderr);
  if (match === null) throw new Error(`no entry in: ${stderr}`);
  const scopes = [...match[3]!.matchAll(/'([^']*)'/g)].map((scope) => scope[1]!);
  return { name: match[1]!, hash: match[2]!, scopes };
}

describe('salon admin-token', () => {
  test('prints a token and the entry holding its digest, which the config accepts', async () => {
    const run = await runSalon(['admin-token', 'crm', '--scopes', 'users:read,rooms:write'], { cwd });
    expect(run.code).toBe(0);
    const token = run.stdout.trim();
    expect(token).toMatch(/^salon_[A-Za-z0-9_-]{43}$/);
    const entry = printedEntry(run.stderr);
    expect(entry).toEqual({ name: 'crm', hash: tokenDigest(token), scopes: ['users:read', 'rooms:write'] });
    expect(run.stderr).not.toContain(token);
    const config = validateConfig({ hosts: [VirtualHost('example.com', { modules_enabled: ['http_admin_api'], http_admin_api_tokens: [entry] })] }, moduleCatalog, undefined);
    expect(config.ok).toBe(true);
  });

  test('without --scopes the token gets every scope; each run makes a new token', async () => {
    const [first, second] = await Promise.all([runSalon(['admin-token'], { cwd }), runSalon(['admin-token'], { cwd })]);
    expect(first!.stdout).not.toBe(second!.stdout);
    expect(printedEntry(first!.stderr)).toMatchObject({ name: 'backend', scopes: expect.arrayContaining(['users:write', 'rooms:read', 'server:read']) });
    expect(printedEntry(first!.stderr).scopes).toHaveLength(8);
  });

  test('an unknown scope is a usage error (exit 2) listing the known ones; --scopes elsewhere too', async () => {
    const run = await runSalon(['admin-token', '--scopes', 'users:read,users:admin'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/scopes: users:read, users:write/);
    expect((await runSalon(['check', '--scopes', 'x'], { cwd })).code).toBe(2);
  });
});
