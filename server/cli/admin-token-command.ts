/**
 * `salon admin-token [NAME] [--scopes a,b]`: a new random bearer token for the admin API, and the
 * `http_admin_api_tokens` entry that admits it (its SHA-256 digest, never the token). The entry
 * is checked with the `http_admin_api` module's own option schema from the catalog, so an unknown
 * scope is refused here exactly as the config would refuse it (the core does not name the
 * admin unit's scopes itself).
 */
import * as z from 'zod';
import type { AnyModuleDefinition } from '../modules/index.js';
import { generateBearerToken, tokenDigest } from '../crypto/index.js';
import { Exit, complain, type CommandContext, type ExitCode } from './command-context.js';

const MODULE = 'http_admin_api';
const OPTION = 'http_admin_api_tokens';
const DEFAULT_NAME = 'backend';

interface TokenEntry {
  readonly name: string;
  readonly hash: string;
  readonly scopes: readonly string[];
}

/** The scopes the module's option accepts, read from its schema; undefined when not in the build. */
function knownScopes(catalog: ReadonlyMap<string, AnyModuleDefinition>): readonly string[] | undefined {
  const schema = catalog.get(MODULE)?.options?.[OPTION];
  if (schema === undefined) return undefined;
  // A probe entry with no scope makes the schema say which values it accepts.
  const probe = z.safeParse(schema, [{ name: 'probe', hash: tokenDigest('probe'), scopes: ['?'] }]);
  if (probe.success) return undefined;
  for (const issue of probe.error.issues) {
    if ('values' in issue && Array.isArray(issue.values)) return issue.values.map(String);
  }
  return undefined;
}

function entryProblem(catalog: ReadonlyMap<string, AnyModuleDefinition>, entry: TokenEntry): string | undefined {
  const schema = catalog.get(MODULE)?.options?.[OPTION];
  if (schema === undefined) return `this build has no ${MODULE} module`;
  const parsed = z.safeParse(schema, [entry]);
  if (parsed.success) return undefined;
  return parsed.error.issues.map((issue) => `${issue.path.slice(1).join('.')}: ${issue.message}`).join('; ');
}

function quoted(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The entry as it is written in a TypeScript config. */
export function formatTokenEntry(entry: TokenEntry): string {
  return `{ name: ${quoted(entry.name)}, hash: ${quoted(entry.hash)}, scopes: [${entry.scopes.map(quoted).join(', ')}] }`;
}

export function runAdminTokenCommand(ctx: CommandContext, scopesOption: string | undefined): Promise<ExitCode> {
  const { catalog } = ctx.deps;
  const all = knownScopes(catalog);
  const scopes = scopesOption === undefined ? all ?? [] : scopesOption.split(',').map((scope) => scope.trim()).filter((scope) => scope !== '');
  const entry: TokenEntry = { name: ctx.positionals[0] ?? DEFAULT_NAME, hash: '', scopes };
  const token = generateBearerToken();
  const complete = { ...entry, hash: tokenDigest(token) };
  const problem = entryProblem(catalog, complete);
  if (problem !== undefined) {
    complain(ctx, `cannot make this token: ${problem}${all === undefined ? '' : ` (scopes: ${all.join(', ')})`}`);
    return Promise.resolve(Exit.Usage);
  }
  ctx.io.stdout.write(`${token}\n`);
  ctx.io.stderr.write(`The line above is the token: give it to the API's client now, it is not stored anywhere.
Add this entry to ${OPTION} on the VirtualHost that enables ${MODULE}:
  ${formatTokenEntry(complete)},
`);
  return Promise.resolve(Exit.Ok);
}
