/**
 * The OpenAPI 3.1 document of the admin API, generated from the operation table: the same zod
 * schemas that validate requests become its parameter, body and answer schemas
 * (`z.toJSONSchema`, JSON Schema 2020-12, which OpenAPI 3.1 uses as is), so the document cannot
 * drift from what the handlers accept. Built once per module load.
 */
import * as z from 'zod';
import { COMMON_FAILURES } from './admin-errors.js';
import type { AnyAdminOperation } from './admin-operation.js';

type Json = Record<string, unknown>;

export interface DocumentSettings {
  /** The published base of the API (`/admin`): the document's server URL. */
  readonly base: string;
  readonly version: string;
}

const DESCRIPTION = `Salon's administrative REST API. JSON in and out; every error is
\`{"error": {"code", "message", "details"?}}\` with a stable \`code\`.

Authentication: \`Authorization: Bearer <token>\`, one of the tokens listed (as SHA-256 digests)
in \`http_admin_api_tokens\`. Each operation needs one scope (listed in its description, in its
security requirement and in \`x-salon-scope\`). This document itself is readable with any valid token.

Idempotent creation: \`PUT\` on a resource's own path creates it or confirms it. It answers 201
when it created the resource, 200 when the resource already existed in exactly the requested
state, and 409 when it exists in another state (nothing is changed then). Repeating a \`PUT\` is
therefore safe.

Paging: list operations take \`limit\` and \`after\` (the last item's key from the previous page);
an answer carries \`next\` when more items follow.`;

/** The JSON Schema of a zod schema, for requests (`input`) or answers (`output`). */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  // The dialect is the document's (`jsonSchemaDialect`); a per-schema `$schema` is redundant.
  delete json.$schema;
  return json;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (schema === undefined) return [];
  const json = schemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, Json>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name, in: where, required: where === 'path' || required.has(name), schema: rest,
      ...(typeof description === 'string' ? { description } : {}),
    };
  });
}

function errorSchema(codes: readonly string[]): Json {
  return {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: { code: { type: 'string', enum: codes }, message: { type: 'string' }, details: {} },
      },
    },
  };
}

/** Failure codes by status: the framework's and the operation's own (`status:code`). */
function failuresByStatus(operation: AnyAdminOperation, ownStatuses: ReadonlyMap<string, number>): Map<number, string[]> {
  const byStatus = new Map<number, string[]>();
  const add = (status: number, code: string): void => {
    const codes = byStatus.get(status) ?? [];
    if (!codes.includes(code)) codes.push(code);
    byStatus.set(status, codes);
  };
  for (const [code, status] of Object.entries(COMMON_FAILURES)) {
    if (operation.body === undefined && ['unsupported-media-type', 'body-too-large', 'malformed-json'].includes(code)) continue;
    add(status, code);
  }
  for (const code of operation.failures ?? []) add(ownStatuses.get(code) ?? 400, code);
  return byStatus;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 413: 'Content Too Large', 415: 'Unsupported Media Type',
  422: 'Unprocessable Content', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

function responsesOf(operation: AnyAdminOperation, ownStatuses: ReadonlyMap<string, number>): Json {
  const responses: Json = {};
  for (const status of operation.success) {
    responses[String(status)] = status === 204 || operation.response === undefined
      ? { description: STATUS_TEXT[status] }
      : { description: STATUS_TEXT[status], content: { 'application/json': { schema: schemaOf(operation.response, 'output') } } };
  }
  for (const [status, codes] of [...failuresByStatus(operation, ownStatuses)].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: `${STATUS_TEXT[status] ?? 'Error'}: ${codes.join(', ')}`,
      content: { 'application/json': { schema: errorSchema(codes) } },
    };
  }
  return responses;
}

function operationObject(operation: AnyAdminOperation, ownStatuses: ReadonlyMap<string, number>): Json {
  const creates = operation.method === 'PUT' && operation.success.includes(201);
  const description = [
    `Scope: \`${operation.scope}\`.`,
    creates ? 'Idempotent creation: 201 when created, 200 when it already existed in the same state, 409 when it exists differently.' : '',
  ].filter((line) => line !== '').join(' ');
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    description,
    tags: [operation.tag],
    security: [{ bearer: [operation.scope] }],
    'x-salon-scope': operation.scope,
    parameters: [...parametersOf(operation.params, 'path'), ...parametersOf(operation.query, 'query')],
    ...(operation.body === undefined ? {} : {
      requestBody: { required: !operation.body.safeParse({}).success, content: { 'application/json': { schema: schemaOf(operation.body, 'input') } } },
    }),
    responses: responsesOf(operation, ownStatuses),
  };
}

/**
 * The document. `failureStatuses` gives the status of each operation-specific failure code
 * (`room-not-found` → 404); a code it does not list is documented under 400.
 */
export function openApiDocument(operations: readonly AnyAdminOperation[], settings: DocumentSettings, failureStatuses: ReadonlyMap<string, number>): Json {
  const paths: Record<string, Json> = {};
  for (const operation of operations) {
    const item = paths[operation.path] ?? {};
    item[operation.method.toLowerCase()] = operationObject(operation, failureStatuses);
    paths[operation.path] = item;
  }
  const tags = [...new Set(operations.map((operation) => operation.tag))].map((name) => ({ name }));
  return {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: { title: 'Salon admin API', version: settings.version, description: DESCRIPTION },
    servers: [{ url: settings.base }],
    security: [{ bearer: [] }],
    tags,
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token from http_admin_api_tokens (salon admin-token prints one).' },
      },
    },
  };
}
