/**
 * The core options (DESIGN.md §2, §5): Prosody's names, each with its default, its bounds and a
 * one-line description (shown by `salon check --help`). Module options are declared by the
 * modules themselves (`ModuleDefinition.options`) and validated by the same machinery.
 */
import { isIP } from 'node:net';
import * as z from 'zod';
import { parseJid } from '../jid/index.js';
import { STORAGE_DRIVER_NAMES, type StorageDriverName } from '../storage/index.js';
import { knownKeysObject } from './known-keys.js';
import { PARSE_ONCE } from './parse-once.js';

const port = z.number().int().min(0).max(65535);
const portList = z.array(port);

/** RFC 4422 §3.1: mechanism names are 1–20 characters of A–Z, 0–9, `-` and `_`. */
const MECHANISM = /^[A-Z0-9_-]{1,20}$/i;

const bareJid = z.string().transform((value, ctx) => {
  const parsed = parseJid(value);
  if (!parsed.ok || !parsed.value.isBare) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a valid bare JID` });
    return z.NEVER;
  }
  return parsed.value.toString();
});

const listenInterface = z.string().refine((value) => value === '*' || isIP(value) !== 0, {
  message: 'must be "*" (all interfaces) or an IP address',
});

/** Storage drivers the core knows (DESIGN.md §3). */
const driverName = z.enum(STORAGE_DRIVER_NAMES);

/**
 * `storage`: one driver for every store, or a map store → driver (Prosody's
 * `storage = { roster = "memory" }`); stores missing from the map use `internal`.
 */
export type StorageSetting = StorageDriverName | Readonly<Record<string, StorageDriverName>>;

/** The fields of `sql` that say where to connect; `url` replaces them all. */
const SQL_TARGET_FIELDS = ['database', 'username', 'password', 'host', 'port'] as const;

/**
 * `sql`: Prosody's connection settings for the `sql` (here: `postgres`) storage driver, plus
 * Salon's `url`, `pool_size` and `query_timeout`.
 */
const sqlSettings = knownKeysObject({
  driver: z.literal('PostgreSQL'), // Salon's SQL storage is PostgreSQL only
  database: z.string().min(1).optional(),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  host: z.string().min(1).optional(),
  port: port.min(1).optional(),
  url: z.string().regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' }).optional(),
  pool_size: z.number().int().min(1).max(1000).optional(),
  query_timeout: z.number().min(0.1).max(3600).optional(),
}).refine((sql) => sql.url === undefined || SQL_TARGET_FIELDS.every((field) => sql[field] === undefined), {
  message: `url replaces ${SQL_TARGET_FIELDS.join(', ')}: set either url or those`,
});

const sslPaths = knownKeysObject({
  certificate: z.string().min(1),
  key: z.string().min(1),
});

/** Every core option; each schema carries its default and its description. */
export const coreOptionShape = {
  admins: z.array(bareJid).default(() => [])
    .describe('Bare JIDs of the server administrators.'),
  modules_enabled: z.array(z.string().min(1)).default(() => [])
    .describe('Modules to load (on every host when global, added to the global list on a host).'),
  modules_disabled: z.array(z.string().min(1)).default(() => [])
    .describe('Modules not to load, even when enabled globally.'),
  data_path: z.string().min(1).default('./data')
    .describe('Directory for persistent data, relative to the config file (without one: to the working directory).'),
  storage: z.union([driverName, z.record(z.string().min(1), driverName)]).default('internal')
    .describe('Storage driver ("internal", "memory", or "postgres" alias "sql", which needs the sql option), or a map store → driver.'),
  sql: sqlSettings.optional()
    .describe('Connection of the "postgres"/"sql" storage driver: { driver = "PostgreSQL", database, username, password, host, port }; [Salon] url = "postgres://…" instead, pool_size (10), query_timeout (10 s).'),
  archive_sync: z.enum(['ordered', 'background']).default('ordered')
    .describe('[Salon] How the internal driver\'s message archive reaches the disk: "ordered" syncs each commit before the next (a power loss costs at most the last one); "background" syncs every 50 ms at most, for about twice the throughput, and a power loss can lose those 50 ms and damage the file.'),
  log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
    .describe('Minimum level of log lines written to stdout.'),
  pidfile: z.string().min(1).optional()
    .describe('File "salon start" writes its process id to, for "salon reload" and service managers; relative to the config file; default <data_path>/salon.pid.'),
  c2s_ports: portList.default(() => [5222])
    .describe('Client ports offering STARTTLS (RFC 6120 §5); [] disables them.'),
  c2s_direct_tls_ports: portList.default(() => [5223])
    .describe('Client ports speaking TLS from the first byte (XEP-0368); [] disables them.'),
  c2s_interfaces: z.array(listenInterface).min(1).default(() => ['*'])
    .describe('Addresses the client ports listen on; "*" means all interfaces.'),
  c2s_require_encryption: z.boolean().default(true)
    .describe('Refuse authentication and stanzas on client streams without TLS.'),
  allow_unencrypted_plain_auth: z.boolean().default(false)
    .describe('Offer SASL PLAIN on streams without TLS (never do this in production).'),
  c2s_stanza_size_limit: z.number().int().min(1024).max(64 * 1024 * 1024).default(256 * 1024)
    .describe('Largest stanza accepted from an authenticated client, in bytes.'),
  c2s_unauthed_stanza_size_limit: z.number().int().min(512).max(1024 * 1024).default(10_000)
    .describe('Largest stanza accepted before authentication, in bytes.'),
  c2s_xml_depth_limit: z.number().int().min(4).max(1000).default(64)
    .describe('Deepest element nesting accepted in a stanza.'),
  // The same bound applies twice: from connecting to authenticating, and again from
  // authenticating to binding a resource (a client binds within a second of authenticating).
  c2s_timeout: z.number().int().min(1).max(86_400).default(300)
    .describe('Seconds a client stream may stay unauthenticated, and then authenticated but unbound, before it is closed.'),
  c2s_send_queue_limit: z.number().int().min(64 * 1024).max(1024 * 1024 * 1024).default(4 * 1024 * 1024)
    .describe('Bytes buffered for a slow client before it is disconnected.'),
  // Normal: a client's burst at login (roster, presence, disco, carbons, bookmarks, MAM) is 10–30
  // stanzas, under 20 KiB; a bot sending 1,000 messages/s of 500 bytes behind a 100 ms hook wait
  // queues about 50 KiB. 2 MiB holds eight stanzas of the largest size (c2s_stanza_size_limit)
  // and is 40 times a busy client's peak; reaching it only slows the client down (its reads pause).
  // Prosody has no such option (its mod_limits slows reads by rate); the name follows
  // c2s_send_queue_limit, the bound on the other direction.
  c2s_input_queue_limit: z.number().int().min(16 * 1024).max(1024 * 1024 * 1024).default(2 * 1024 * 1024)
    .describe('Bytes a client may have waiting behind a stanza still being handled before the server stops reading from it (reading resumes when half has drained).'),
  c2s_max_connections_per_ip: z.number().int().min(1).max(1_000_000).default(100)
    .describe('Simultaneous client connections allowed from one IP address (IPv6: from one /64).'),
  // Normal: a server of a few thousand users with two or three devices each holds a few thousand
  // connections at most; the cap keeps a flood of connections (from many addresses, which the
  // per-address cap cannot stop) from using up the process's file descriptors and memory.
  c2s_max_connections: z.number().int().min(1).max(10_000_000).default(10_000)
    .describe('Simultaneous client connections (TCP, WebSocket, BOSH) on the whole server; beyond it a new stream gets resource-constraint.'),
  // Only failed credential checks count (a wrong password, an unknown user), never a failed SASL
  // negotiation, and a successful login from the address starts its count again: a lockout needs
  // 10 wrong passwords in a row from one address within a minute. People behind one NAT or a CI
  // runner reach that only if nobody logs in correctly for a minute while wrong ones pile up; a
  // guesser gets 10 tries a minute per address (IPv6: per /64), about Prosody's 5 per 30 s.
  limit_auth_period: z.number().int().min(1).max(86_400).default(60)
    .describe('Seconds over which failed logins (wrong password, unknown user) from one IP are counted.'),
  limit_auth_max: z.number().int().min(1).max(1_000_000).default(10)
    .describe('Failed logins allowed from one IP per period before its logins are refused; a success clears the count.'),
  sasl_iterations: z.number().int().min(4096).max(10_000_000).default(10_000)
    .describe('PBKDF2 iterations for new SCRAM keys (RFC 7677 §4: at least 4096).'),
  disable_sasl_mechanisms: z.array(z.string().regex(MECHANISM).transform((m) => m.toUpperCase()))
    .default(() => [])
    .describe('SASL mechanisms never offered, e.g. ["PLAIN"].'),
  certificates: z.string().min(1).default('certs')
    .describe('Directory of <host>.crt and <host>.key files, relative to the config file.'),
  ssl: sslPaths.optional()
    .describe('Explicit { certificate, key } PEM paths, relative to the config file.'),
  // Prosody has no option for it (OpenSSL's defaults: one random key per context, never rotated).
  tls_ticket_key_rotation: z.number().int().min(0).max(7 * 86_400).default(43_200)
    .describe('[Salon] Seconds between TLS session ticket keys (kept in memory only); a ticket resumes for one to two periods. 0: no tickets.'),
  allow_registration: z.boolean().default(false)
    .describe('Let clients create accounts in-band (XEP-0077).'),
  // Prosody's mod_register_limits names; a token bucket per address (IPv6: per /64) that holds
  // 10 registrations and refills one every 6 minutes. Normal: a household or a small office
  // behind one NAT creating up to 10 accounts within an hour; a script gets 240 a day, not more.
  registration_throttle_max: z.number().int().min(1).max(1_000_000).default(10)
    .describe('In-band registrations allowed from one IP address per registration_throttle_period.'),
  registration_throttle_period: z.number().int().min(1).max(31_536_000).default(3600)
    .describe('Seconds over which registration_throttle_max in-band registrations from one IP are allowed.'),
  authentication: z.literal('internal_hashed').default('internal_hashed')
    .describe('Account backend; "internal_hashed" stores SCRAM keys, never passwords.'),
};

export type CoreOptionName = keyof typeof coreOptionShape;

/** The `ssl` option: paths of a PEM certificate (chain) and its private key. */
export type SslPaths = z.output<typeof sslPaths>;

/** The whole core section, unknown keys refused. */
export const coreOptionsSchema = z.strictObject(coreOptionShape);

/** Core options after validation, defaults applied. */
export type CoreOptions = z.output<typeof coreOptionsSchema>;

/** Core options as a config file may write them. */
export type CoreOptionsInput = z.input<typeof coreOptionsSchema>;

/**
 * Options that only make sense for the whole server: listeners, limits enforced before the
 * stream names its host, logging and the data directory. Setting one on a host is an error.
 */
const GLOBAL_ONLY = [
  'data_path', 'archive_sync', 'log_level', 'pidfile', 'certificates', 'tls_ticket_key_rotation',
  'c2s_ports', 'c2s_direct_tls_ports', 'c2s_interfaces', 'c2s_timeout',
  'c2s_stanza_size_limit', 'c2s_unauthed_stanza_size_limit', 'c2s_xml_depth_limit',
  'c2s_send_queue_limit', 'c2s_max_connections_per_ip', 'c2s_max_connections', 'limit_auth_period', 'limit_auth_max',
  'registration_throttle_max', 'registration_throttle_period',
] as const satisfies readonly CoreOptionName[];

export type GlobalOnlyOptionName = (typeof GLOBAL_ONLY)[number];
export const GLOBAL_ONLY_OPTIONS: ReadonlySet<string> = new Set<string>(GLOBAL_ONLY);

/** Core options a host section may set (everything not global-only). */
export type HostCoreOptionsInput = Omit<CoreOptionsInput, GlobalOnlyOptionName>;

export function isCoreOption(name: string): name is CoreOptionName {
  return Object.hasOwn(coreOptionShape, name);
}

/** A line of option documentation. */
export interface OptionDoc {
  name: string;
  description: string;
  /** The default value (undefined when the option has none). */
  defaultValue: unknown;
  scope: 'global' | 'global or host';
}

/** Documentation of every core option, in declaration order. */
export function coreOptionDocs(): OptionDoc[] {
  return Object.entries(coreOptionShape).map(([name, schema]) => {
    const parsed = schema.safeParse(undefined, PARSE_ONCE);
    return {
      name,
      description: schema.description ?? '',
      defaultValue: parsed.success ? parsed.data : undefined,
      scope: GLOBAL_ONLY_OPTIONS.has(name) ? 'global' : 'global or host',
    };
  });
}
