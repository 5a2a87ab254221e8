/** Help texts of `salon` and its commands. */
import { coreOptionDocs, moduleOptionDocs, type OptionDoc } from '../config/index.js';
import type { AnyModuleDefinition } from '../modules/index.js';

const CONFIG_OPTION = '  -c, --config FILE  config file (default: $SALON_CONFIG, ./salon.config.ts, ./salon.config.js, else the built-in default)';

export const GENERAL_USAGE = `Usage: salon <command> [options]

Commands:
  start [--config FILE]      start the server
  reload [--config FILE]     make the running server read its config again (SIGHUP)
  check [--config FILE]      validate the config; print hosts, listeners and modules
  adduser JID [PASSWORD]     create an account
  passwd JID [PASSWORD]      change an account's password
  deluser JID                delete an account
  import FILE                create accounts and rosters in bulk (JSON or CSV)
  admin-token [NAME] [--scopes a,b]  a new admin API token and its config entry
  fixture [options]          an in-memory server on free ports for tests (salon fixture --help)

Options:
${CONFIG_OPTION}
  -h, --help         show help (also: salon <command> --help)
  -v, --version      print the version

Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.
`;

const PASSWORD_NOTE = `Without PASSWORD it is asked twice on a terminal (nothing is echoed),
or read as one line from standard input when input is not a terminal.`;

const COMMAND_USAGE: Readonly<Record<string, string>> = {
  start: `Usage: salon start [--config FILE]

Starts the server. SIGINT or SIGTERM stop it (exit 0; exit 1 when stopping takes over 10 s);
SIGHUP reloads the config (see salon reload). The process id is written to the pidfile
(option pidfile, default <data_path>/salon.pid) and removed when the server stops.
Logs go to standard output: readable lines on a terminal, JSON lines otherwise; one "ready"
line lists the addresses clients and HTTP callers can use.
Environment: SALON_CONFIG, SALON_DATA_PATH, SALON_LOG_LEVEL, SALON_C2S_PORT,
SALON_C2S_DIRECT_TLS_PORT, SALON_HTTP_PORT, SALON_HTTPS_PORT (ports: a number, a list, or "off").

${CONFIG_OPTION}
`,
  reload: `Usage: salon reload [--config FILE]

Checks the config, then sends SIGHUP to the server named by the pidfile (option pidfile,
default <data_path>/salon.pid). The server reads its config again, applies what can change
without a restart (modules, module options, administrators, rooms in muc_rooms, certificates)
and logs one line saying what changed, what was applied and what needs a restart.
Exit 0 once signalled; 1 when no server is running; 2 when the config is invalid (the
server is then not disturbed).

${CONFIG_OPTION}
`,
  adduser: `Usage: salon adduser JID [PASSWORD] [--config FILE]

Creates the account JID (user@host; host must be a VirtualHost of the config).
${PASSWORD_NOTE}

${CONFIG_OPTION}
`,
  passwd: `Usage: salon passwd JID [PASSWORD] [--config FILE]

Sets a new password for the account JID.
${PASSWORD_NOTE}

${CONFIG_OPTION}
`,
  import: `Usage: salon import FILE [--config FILE]

Creates accounts and rosters in the configured storage, with the configured sasl_iterations.
FILE is JSON:
  {"users": [{"jid": "alice@example.com", "password": "…",
              "roster": [{"jid": "bob@example.com", "name": "Bob", "groups": ["Friends"],
                          "subscription": "both"}]}]}
(name, groups and subscription are optional; subscription none|to|from|both, default none)
or CSV with one account per line: jid,password (quote a field with " to put commas in it).
An existing account gets the file's password; a roster in the file replaces the stored one.
The whole file is checked first: any problem imports nothing (exit 2).

${CONFIG_OPTION}
`,
  'admin-token': `Usage: salon admin-token [NAME] [--scopes SCOPE,SCOPE…]

Prints a new random bearer token for the admin API (http_admin_api) on standard output, and on
standard error the http_admin_api_tokens entry to add to the config: NAME (default "backend"),
the token's SHA-256 digest and its scopes (default: every scope). Only the digest goes into the
config; the token is shown once. Scopes: users:read, users:write, rooms:read, rooms:write,
messages:write, rosters:read, rosters:write, server:read.
`,
  deluser: `Usage: salon deluser JID [--config FILE]

Deletes the account JID and its credentials. A server running on the same data
ends the account's live sessions (stream error not-authorized).

${CONFIG_OPTION}
`,
};

function formatDefault(value: unknown): string {
  return value === undefined ? '(unset)' : JSON.stringify(value);
}

function optionLine(doc: OptionDoc, indent: string): string {
  const scope = doc.scope === 'global' ? ' [global only]' : '';
  return `${indent}${doc.name} = ${formatDefault(doc.defaultValue)}${scope}\n${indent}    ${doc.description}`;
}

/** `salon check --help`: usage, then every option (core, then per module) with its default and description. */
function checkUsage(catalog: ReadonlyMap<string, AnyModuleDefinition> | undefined): string {
  const core = coreOptionDocs().map((doc) => optionLine(doc, '  '));
  const modules = catalog === undefined ? [] : moduleOptionDocs(catalog).map(({ module, options }) =>
    `  ${module}:\n${options.map((doc) => optionLine(doc, '    ')).join('\n')}`);
  return `Usage: salon check [--config FILE]

Validates the config (exit 2 with one line per problem) and prints its hosts, listeners and
the modules each host loads. Every option below is documented in prosody.cfg.example.ts.

${CONFIG_OPTION}

Core options:
${core.join('\n')}
${modules.length === 0 ? '' : `
Module options (set on the hosts that load the module, or globally):
${modules.join('\n')}
`}`;
}

/** Help for a command, or the general help for an unknown one; `catalog` lists the module options of `check`. */
export function usageFor(command: string | undefined, catalog?: ReadonlyMap<string, AnyModuleDefinition>): string {
  if (command === 'check') return checkUsage(catalog);
  return (command === undefined ? undefined : COMMAND_USAGE[command]) ?? GENERAL_USAGE;
}
