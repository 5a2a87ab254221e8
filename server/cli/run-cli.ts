/**
 * The `salon` command line (DESIGN.md §2): parses arguments with `node:util` `parseArgs` and
 * dispatches. Dependencies (module catalog, `startServer`, streams) are injected so that the
 * commands run the same in tests as from the terminal.
 */
import { parseArgs } from 'node:util';
import { err, ok } from '../errors/index.js';
import { runAccountCommand } from './account-commands.js';
import { runAdminTokenCommand } from './admin-token-command.js';
import { describeConfig } from './check-command.js';
import { runImportCommand } from './import-command.js';
import { runReloadCommand } from './reload-command.js';
import type { CliIo } from './cli-io.js';
import { Exit, type CliDeps, type CommandContext, type ExitCode } from './command-context.js';
import { configName, loadForCommand } from './load-for-command.js';
import { runStartCommand } from './start-command.js';
import { usageFor } from './usage.js';

/** Accepted positional arguments per command: [minimum, maximum]. */
const ARITY: Readonly<Record<string, readonly [number, number]>> = {
  start: [0, 0], check: [0, 0], adduser: [1, 2], passwd: [1, 2], deluser: [1, 1], import: [1, 1], 'admin-token': [0, 1], reload: [0, 0],
};

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  scopes: { type: 'string' },
} as const;

async function runCheck(ctx: CommandContext): Promise<ExitCode> {
  const config = await loadForCommand(ctx);
  if (config === undefined) return Exit.Usage;
  ctx.io.stdout.write(describeConfig(config, ctx.deps.catalog, configName(config, ctx), ctx.deps.cwd));
  return Exit.Ok;
}

function dispatch(command: string, ctx: CommandContext, scopes: string | undefined): Promise<ExitCode> {
  switch (command) {
    case 'start': return runStartCommand(ctx);
    case 'check': return runCheck(ctx);
    case 'adduser':
    case 'passwd':
    case 'deluser': return runAccountCommand(command, ctx);
    case 'import': return runImportCommand(ctx);
    case 'reload': return runReloadCommand(ctx);
    case 'admin-token': return runAdminTokenCommand(ctx, scopes);
    default: return Promise.resolve(Exit.Usage); // ARITY lists every command
  }
}

function usageError(io: CliIo, message: string, command: string | undefined, deps: CliDeps): ExitCode {
  io.stderr.write(`salon: ${message}\n\n${usageFor(command, deps.catalog)}`);
  return Exit.Usage;
}

function parse(argv: readonly string[]) {
  try {
    return ok(parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (error) {
    // parseArgs reports unknown options and missing values by throwing.
    return err(error instanceof Error ? error.message : String(error));
  }
}

/** Runs `salon` with `argv` (without the node and script paths); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo, deps: CliDeps): Promise<ExitCode> {
  const parsed = parse(argv);
  if (!parsed.ok) return usageError(io, parsed.error, undefined, deps);
  const { values, positionals } = parsed.value;
  const [command, ...rest] = positionals;
  if (values.version === true) {
    io.stdout.write(`salon ${deps.version}\n`);
    return Exit.Ok;
  }
  if (values.help === true || command === 'help') {
    io.stdout.write(usageFor(command === 'help' ? rest[0] : command, deps.catalog));
    return Exit.Ok;
  }
  if (command === undefined) return usageError(io, 'no command given', undefined, deps);
  const arity = ARITY[command];
  if (arity === undefined) return usageError(io, `unknown command "${command}"`, undefined, deps);
  if (rest.length < arity[0] || rest.length > arity[1]) return usageError(io, `wrong number of arguments for ${command}`, command, deps);
  if (values.scopes !== undefined && command !== 'admin-token') return usageError(io, '--scopes is an option of admin-token only', command, deps);
  return dispatch(command, { positionals: rest, configPath: values.config, io, deps }, values.scopes);
}

