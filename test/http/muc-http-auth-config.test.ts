/** muc_http_auth: load-time errors and warnings (spec §1.7; A19). */
import { expect, test } from '@jest/globals';
import { Component, ConfigValidationError, VirtualHost } from '../../salon.js';
import { SERVICE, USER_HOST, accounts, connect, join, logsWith, startMucServer } from '../helpers/muc-plugin-harness.js';
import { startTestServer } from '../helpers/test-server.js';

const USERS = accounts('romeo@example.com');
const URL_OK = 'http://127.0.0.1:9/can-join';

/** The configuration error a start with these MUC options fails with. */
async function startupError(options: Record<string, unknown>): Promise<string> {
  try {
    const server = await startMucServer({ modules_enabled: ['muc_http_auth'], ...options }, USERS);
    await server.stop();
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.message;
    throw error;
  }
  throw new Error(`the server started with ${JSON.stringify(options)}`);
}

test('A19 load-time errors: the MUC service does not start and the error names the option', async () => {
  expect(await startupError({})).toMatch(/muc_http_auth_url.*not set/);
  expect(await startupError({ muc_http_auth_url: '' })).toMatch(/muc_http_auth_url.*not set/);
  expect(await startupError({ muc_http_auth_url: 'not a url' })).toMatch(/muc_http_auth_url.*not an absolute/);
  expect(await startupError({ muc_http_auth_url: 'ftp://127.0.0.1/x' })).toMatch(/muc_http_auth_url.*not an absolute/);
  expect(await startupError({ muc_http_auth_url: URL_OK, muc_http_auth_enabled_for: { all: 'teaparty' } }))
    .toMatch(/muc_http_auth_enabled_for\.all.*expected a list/);
  expect(await startupError({ muc_http_auth_url: URL_OK, muc_http_auth_enabled_for: ['teaparty@rooms.example.net'] }))
    .toMatch(/muc_http_auth_enabled_for.*is a JID/);
  expect(await startupError({ muc_http_auth_url: URL_OK, muc_http_auth_disabled_for: { 'example.com': ['orchard@rooms.example.net'] } }))
    .toMatch(/muc_http_auth_disabled_for.*is a JID/);
  expect(await startupError({ muc_http_auth_url: URL_OK, muc_http_auth_authorization_header: 'Bearer abc\r\nX-Evil: 1' }))
    .toMatch(/muc_http_auth_authorization_header.*line break/);
  expect(await startupError({ muc_http_auth_url: URL_OK, muc_http_auth_authorization_header: ' Bearer abc' }))
    .toMatch(/muc_http_auth_authorization_header.*whitespace/);
  expect(await startupError({ muc_http_auth_url: URL_OK, muc_http_auth_authorization_header: '' }))
    .toMatch(/muc_http_auth_authorization_header.*empty/);
  expect(await startupError({ muc_http_auth_url: URL_OK, muc_http_auth_insecure: 'yes' })).toMatch(/muc_http_auth_insecure/);
  expect(await startupError({ muc_http_auth_url: URL_OK, muc_http_auth_authorize_registration: 1 })).toMatch(/muc_http_auth_authorize_registration/);
  expect(await startupError({ muc_http_auth_url: URL_OK, muc_http_auth_timeout: 0 })).toMatch(/muc_http_auth_timeout/);
});

test('load-time warnings: insecure TLS, credentials over plain http to a remote host, a timeout above the hook deadline', async () => {
  const server = await startMucServer({
    modules_enabled: ['muc_http_auth'],
    muc_http_auth_url: 'http://auth.example.org/can-join',
    muc_http_auth_insecure: true,
    muc_http_auth_authorization_header: 'Bearer abc',
    muc_http_auth_timeout: 40,
  }, USERS);
  try {
    expect(logsWith(server, 40, 'TLS verification disabled for the MUC authorization service')).toHaveLength(1);
    expect(logsWith(server, 40, 'plain http://')).toHaveLength(1);
    expect(logsWith(server, 40, 'muc_hook_deadline')).toHaveLength(1);
    expect(JSON.stringify(server.logs)).not.toContain('Bearer abc');
  } finally {
    await server.stop();
  }
  const quiet = await startMucServer({ modules_enabled: ['muc_http_auth'], muc_http_auth_url: URL_OK, muc_http_auth_authorization_header: 'Bearer abc' }, USERS);
  try {
    expect(quiet.logs.filter((line) => line.level === 40 && line.module === 'muc_http_auth')).toHaveLength(0);
    expect(logsWith(quiet, 30, 'MUC joins are authorized over HTTP')).toHaveLength(1);
  } finally {
    await quiet.stop();
  }
});

test('enabled globally, the module loads before the MUC service: the hook-deadline warning comes with the first check', async () => {
  const server = await startTestServer({
    // Global modules load before the component's own `muc`, so the deadline is not known at load.
    globals: { modules_enabled: ['muc_http_auth'], muc_http_auth_url: URL_OK, muc_http_auth_timeout: 40 },
    hosts: [VirtualHost(USER_HOST), Component(SERVICE, 'muc')],
    users: USERS,
  });
  try {
    expect(logsWith(server, 30, 'MUC joins are authorized over HTTP')).toHaveLength(1);
    expect(logsWith(server, 40, 'muc_hook_deadline')).toHaveLength(0);
    const romeo = await connect(server, 'romeo@example.com', 'desk');
    // Nothing listens on port 9: the check fails closed, after the warning was logged.
    expect((await join(romeo, 'orchard', 'Romeo')).attrs.type).toBe('error');
    expect(logsWith(server, 40, 'muc_hook_deadline')).toHaveLength(1);
    // Once only: a second check adds no warning.
    expect((await join(romeo, 'orchard', 'Romeo')).attrs.type).toBe('error');
    expect(logsWith(server, 40, 'muc_hook_deadline')).toHaveLength(1);
    romeo.close();
  } finally {
    await server.stop();
  }
});
