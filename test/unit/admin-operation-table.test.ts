/** The admin API's operation table: matching methods and path templates (pure). */
import { describe, expect, test } from '@jest/globals';
import * as z from 'zod';
import { defineOperation, type AnyAdminOperation } from '../../admin/index.js';
import { OperationTable } from '../../admin/operation-table.js';
import { ok } from '../../server/errors/index.js';

function operation(operationId: string, method: AnyAdminOperation['method'], path: string): AnyAdminOperation {
  return defineOperation({
    operationId, method, path, scope: 'rooms:read', tag: 'rooms', summary: operationId, params: z.object({}), success: [204],
    handle: () => Promise.resolve(ok({ status: 204 as const })),
  });
}

const table = new OperationTable([
  operation('getRoom', 'GET', '/rooms/{room}'),
  operation('deleteRoom', 'DELETE', '/rooms/{room}'),
  operation('countRooms', 'GET', '/rooms/count'),
  operation('getOccupant', 'GET', '/rooms/{room}/occupants/{nick}'),
]);

describe('OperationTable.match', () => {
  test('binds path parameters, each segment decoded on its own (%2F stays in one parameter)', () => {
    expect(table.match('GET', '/rooms/a%2Fb/occupants/N%C3%BC')).toMatchObject({ kind: 'found', params: { room: 'a/b', nick: 'Nü' } });
  });

  test('a literal segment wins over a parameter, whatever the declaration order', () => {
    expect(table.match('GET', '/rooms/count')).toMatchObject({ kind: 'found', operation: { operationId: 'countRooms' } });
    expect(table.match('GET', '/rooms/counts')).toMatchObject({ kind: 'found', operation: { operationId: 'getRoom' } });
  });

  test('HEAD counts as GET; another method on a known path lists the allowed ones', () => {
    expect(table.match('HEAD', '/rooms/x')).toMatchObject({ kind: 'found', operation: { operationId: 'getRoom' } });
    expect(table.match('PUT', '/rooms/x')).toEqual({ kind: 'method-not-allowed', allow: ['GET', 'DELETE'] });
  });

  test('unknown paths, empty segments and trailing slashes match nothing; bad escapes are malformed', () => {
    for (const rest of ['/nothing', '/rooms/', '/rooms//occupants/n', '/rooms/x/', '', 'rooms/x']) expect(table.match('GET', rest)).toEqual({ kind: 'not-found' });
    expect(table.match('GET', '/rooms/%zz')).toEqual({ kind: 'malformed-path' });
    expect(table.match('GET', '/rooms/%C3')).toEqual({ kind: 'malformed-path' });
  });

  test('a duplicate operationId or two operations on one method and path are refused', () => {
    expect(() => new OperationTable([operation('a', 'GET', '/x'), operation('a', 'GET', '/y')])).toThrow(/declared twice/);
    expect(() => new OperationTable([operation('a', 'GET', '/x/{p}'), operation('b', 'GET', '/x/{q}')])).toThrow(/already served/);
    expect(() => new OperationTable([operation('a', 'GET', 'x')])).toThrow(/must start/);
  });
});
