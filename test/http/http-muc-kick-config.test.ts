/** http_muc_kick: refusing to load without a usable secret, and the start-up warnings (spec §2.3; K18). */
import { expect, test } from '@jest/globals';
import { Component, VirtualHost } from '../../salon.js';
import { errorOf, KICK_SECRET, kickRequest } from '../helpers/muc-kick-request.js';
import {
  accounts, connect, createInstantRoom, join, logsWith, nicksIn, SERVICE, startMucServer, statusCodes,
} from '../helpers/muc-plugin-harness.js';
import { startTestServer } from '../helpers/test-server.js';

const USERS = accounts('romeo@example.com');
const OPTION = 'http_muc_kick_authorization_header';

test('K18 without a usable header the configuration is refused: start-up stops naming the option (as muc_http_auth_url does)', async () => {
  const values: unknown[] = [undefined, '', '   ', ' Basic abc', 'Basic abc\t', 'Basic abc\r\nX: y', 42, ['Basic abc']];
  for (const value of values) {
    const start = startMucServer({ modules_enabled: ['http_muc_kick'], ...(value === undefined ? {} : { [OPTION]: value }) }, USERS);
    await expect(start).rejects.toThrow(new RegExp(`host "${SERVICE.replace(/\./g, '\\.')}": module "http_muc_kick": option "${OPTION}"`));
    if (value === undefined) await expect(start).rejects.toThrow(/is not set: add it to the configuration before using http_muc_kick/);
  }
});

test('enabled on a host that is not a MUC service: a warning, and it kicks from every MUC service (the original scope)', async () => {
  const server = await startTestServer({
    hosts: [
      VirtualHost('example.com', { modules_enabled: ['http_muc_kick'], [OPTION]: KICK_SECRET }),
      Component(SERVICE, 'muc'),
    ],
    users: USERS,
  });
  const romeo = await connect(server, 'romeo@example.com', 'balcony');
  try {
    expect(logsWith(server, 40, 'not a MUC service')).toHaveLength(1);
    await createInstantRoom(romeo, 'lobby', 'Romeo');
    const reply = await kickRequest(server.httpUrl!, { nickname: 'Romeo', muc: `lobby@${SERVICE}` }, { host: 'example.com' });
    expect(reply.status).toBe(200);
    expect(nicksIn(server, 'lobby')).toEqual([]);
    const onService = await kickRequest(server.httpUrl!, { nickname: 'Romeo', muc: `lobby@${SERVICE}` });
    expect(onService.status).toBe(404);
  } finally {
    romeo.close();
    await server.stop();
  }
});

test('a warning when plain HTTP listens on a non-loopback interface (the secret would travel in clear)', async () => {
  const server = await startTestServer({
    globals: { http_interfaces: ['0.0.0.0'] },
    hosts: [VirtualHost('example.com'), Component(SERVICE, 'muc', { modules_enabled: ['http_muc_kick'], [OPTION]: KICK_SECRET })],
    users: USERS,
  });
  try {
    expect(logsWith(server, 40, 'travels in clear')).toHaveLength(1);
  } finally {
    await server.stop();
  }
  const loopback = await startMucServer({ modules_enabled: ['http_muc_kick'], [OPTION]: KICK_SECRET }, USERS);
  try {
    expect(loopback.logs.filter((line) => typeof line.level === 'number' && line.level >= 40 && line.module === 'http_muc_kick')).toEqual([]);
    expect(logsWith(loopback, 30, 'HTTP route POST /muc_kick on rooms.example.net')).toHaveLength(1);
  } finally {
    await loopback.stop();
  }
});
