/**
 * http_admin_api: every operation the OpenAPI document lists is called, over real HTTP, with a
 * real XMPP client where one is needed (an occupant to change and kick, a session to end). The
 * walk is driven by the document: an operation listed without an entry in `CALLS` fails the
 * test, so an operation cannot be published without being callable. Each answer must be a
 * documented success whose body matches the operation's answer schema; a second pass calls each
 * operation on a resource that does not exist and checks the answer's status and code are
 * documented for it.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { adminOperations } from '../../admin/operations.js';
import { connectClient, xml, type TestClient } from '../helpers/xmpp-client.js';
import { errorCode, startAdminApi, type AdminApi, type AdminReply } from '../helpers/admin-api.js';

interface DocumentedOperation {
  readonly operationId: string;
  readonly responses: Record<string, { content?: { 'application/json': { schema: { properties?: { error?: { properties: { code: { enum: string[] } } } } } } } }>;
}
type Document = { paths: Record<string, Record<string, DocumentedOperation>> };

interface Call {
  /** Calls run in this order (creations first, removals last). */
  readonly order: number;
  readonly params?: Record<string, string>;
  readonly query?: string;
  readonly body?: unknown;
  /** Runs before the call (e.g. an occupant joins). */
  readonly before?: () => Promise<void>;
}

const ROOM = 'walkroom';
const MUC = 'http://jabber.org/protocol/muc';
let api: AdminApi;
let walker: TestClient | undefined;

/** The walker account logs in (password as changed by `changePassword`) and joins the room as `walker`. */
async function walkerJoins(): Promise<void> {
  if (walker !== undefined) return;
  walker = await connectClient({ port: api.server.port, username: 'walker', password: 'walker-pw2', resource: 'walk' });
  await walker.send(xml('presence', { to: `${ROOM}@conference.localhost/walker` }, xml('x', { xmlns: MUC })));
  await walker.waitFor((el: Element) => el.name === 'presence' && el.attrs.from === `${ROOM}@conference.localhost/walker`
    && el.getChild('x', `${MUC}#user`)?.getChildren('status').some((status) => status.attrs.code === '110') === true);
}

const CALLS: Readonly<Record<string, Call>> = {
  createUser: { order: 10, params: { username: 'walker' }, body: { password: 'walker-pw' } },
  changePassword: { order: 11, params: { username: 'walker' }, body: { password: 'walker-pw2' } },
  listUsers: { order: 12, query: '?limit=2' },
  createRoom: { order: 20, params: { room: ROOM }, body: { subject: 'Walking' } },
  getRoom: { order: 21, params: { room: ROOM } },
  listRooms: { order: 22 },
  configureRoom: { order: 23, params: { room: ROOM }, body: {} },
  setAffiliations: { order: 24, params: { room: ROOM }, body: { affiliations: [{ jid: 'bob@localhost', affiliation: 'member' }] } },
  listAffiliations: { order: 25, params: { room: ROOM } },
  listOccupants: { order: 30, params: { room: ROOM }, before: walkerJoins },
  setOccupantRole: { order: 31, params: { room: ROOM, nick: 'walker' }, body: { role: 'visitor' }, before: walkerJoins },
  postRoomMessage: { order: 26, params: { room: ROOM }, body: { body: 'Hello from the backend', nick: 'System' } },
  inviteToRoom: { order: 27, params: { room: ROOM }, body: { jid: 'bob@localhost', reason: 'come in' } },
  sendDirectMessage: { order: 28, body: { to: 'bob@localhost', body: 'Hello Bob' } },
  kickOccupant: { order: 32, params: { room: ROOM }, body: { nick: 'walker', reason: 'walk over' }, before: walkerJoins },
  listSessions: { order: 40, params: { username: 'walker' }, before: walkerJoins },
  endSession: { order: 41, params: { username: 'walker', resource: 'walk' }, before: walkerJoins },
  replaceRoster: { order: 50, params: { username: 'alice' }, body: { items: [{ jid: 'bob@localhost', subscription: 'both' }] } },
  readRoster: { order: 51, params: { username: 'alice' } },
  serverInfo: { order: 60 },
  destroyRoom: { order: 90, params: { room: ROOM }, body: { reason: 'closing' } },
  deleteUser: { order: 91, params: { username: 'walker' } },
};

function documented(doc: Document): { path: string; method: string; operation: DocumentedOperation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })));
}

function pathOf(template: string, params: Record<string, string> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? `missing-${name}`));
}

/** The code enum documented for `status`, or undefined when the status is not documented. */
function documentedCodes(operation: DocumentedOperation, status: number): string[] | undefined {
  const response = operation.responses[String(status)];
  if (response === undefined) return undefined;
  return response.content?.['application/json'].schema.properties?.error?.properties.code.enum ?? [];
}

let doc: Document;

beforeAll(async () => {
  api = await startAdminApi();
  doc = (await api.call('GET', '/openapi.json')).json as Document;
});
afterAll(async () => {
  await walker?.stop();
  await api?.stop();
});

test('every documented operation has a call in the walk', () => {
  const missing = documented(doc).map(({ operation }) => operation.operationId).filter((id) => CALLS[id] === undefined);
  expect(missing).toEqual([]);
  expect(documented(doc).length).toBe(adminOperations.length);
});

test('every documented operation answers a documented success with a body of its answer schema', async () => {
  const walk = documented(doc).filter(({ operation }) => CALLS[operation.operationId] !== undefined)
    .sort((a, b) => CALLS[a.operation.operationId]!.order - CALLS[b.operation.operationId]!.order);
  const failures: string[] = [];
  for (const { path, method, operation } of walk) {
    const call = CALLS[operation.operationId]!;
    await call.before?.();
    const reply: AdminReply = await api.call(method, `${pathOf(path, call.params)}${call.query ?? ''}`, call.body === undefined ? {} : { body: call.body });
    const schema = adminOperations.find((candidate) => candidate.operationId === operation.operationId)?.response;
    const success = reply.status >= 200 && reply.status < 300 && operation.responses[String(reply.status)] !== undefined;
    const valid = schema === undefined || reply.json === undefined || schema.safeParse(reply.json).success;
    if (!success || !valid) failures.push(`${operation.operationId}: ${reply.status} ${reply.body}`);
  }
  expect(failures).toEqual([]);
});

test('on resources that do not exist, every answer has a documented status and code', async () => {
  const problems: string[] = [];
  for (const { path, method, operation } of documented(doc)) {
    if (!path.includes('{')) continue;
    const call = CALLS[operation.operationId] ?? { order: 0 };
    const params = Object.fromEntries(Object.keys(call.params ?? {}).map((name) => [name, `nonexistent-${name}`]));
    const reply = await api.call(method, `${pathOf(path, params)}${call.query ?? ''}`, call.body === undefined ? {} : { body: call.body });
    const codes = documentedCodes(operation, reply.status);
    if (codes === undefined) problems.push(`${operation.operationId}: status ${reply.status} is not documented`);
    else if (reply.status >= 400 && !codes.includes(String(errorCode(reply)))) problems.push(`${operation.operationId}: ${reply.status} ${String(errorCode(reply))} is not documented`);
  }
  expect(problems).toEqual([]);
});
