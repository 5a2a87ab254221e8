/**
 * `salon start`: validate the config, start the server, write the pidfile, reload the config on
 * SIGHUP and stop on SIGINT/SIGTERM. A stop that takes longer than the deadline ends with exit 1
 * rather than hanging.
 */
import {
  coreOptions, formatConfigError, loadConfig, resolvedPidFile, type ServerConfig,
} from '../config/index.js';
import { createLogger, type Logger } from '../log/index.js';
import { complain, Exit, type CommandContext, type ExitCode, type StartedServer } from './command-context.js';
import { loadForCommand } from './load-for-command.js';
import { removePidFile, writePidFile } from './pid-file.js';
import { reloadOnHangup, stopWithin, waitForSignal } from './process-lifetime.js';

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/** SIGHUP: the config is found and read as at start (same `--config`, environment, directory). */
async function reloadConfig(ctx: CommandContext, server: StartedServer, logger: Logger): Promise<void> {
  if (server.reload === undefined) {
    logger.warn('SIGHUP: this server cannot reload its config');
    return;
  }
  const { env, cwd, catalog } = ctx.deps;
  const loaded = await loadConfig({ env, cwd, catalog, ...(ctx.configPath === undefined ? {} : { configPath: ctx.configPath }) });
  if (!loaded.ok) {
    for (const problem of loaded.error) {
      logger.error({ option: problem.option, host: problem.host }, `config reload refused, nothing changed: ${formatConfigError(problem)}`);
    }
    return;
  }
  await server.reload(loaded.value);
}

async function startConfigured(ctx: CommandContext, config: ServerConfig, logger: Logger): Promise<ExitCode> {
  const { startServer, signals = process, stopTimeoutMs = DEFAULT_STOP_TIMEOUT_MS } = ctx.deps;
  if (startServer === undefined) {
    complain(ctx, 'this build cannot start a server');
    return Exit.Failure;
  }
  // Listening before start-up: a signal that arrives while starting stops the server once started
  // (SIGHUP: reloads it once started, rather than ending the process as it would by default).
  const wait = waitForSignal(signals);
  let server: StartedServer | undefined;
  const reloads = reloadOnHangup(signals, () => reloadConfig(ctx, server!, logger)
    .catch((error: unknown) => logger.error({ err: error }, 'config reload failed')));
  // Written before the "ready" line, so whoever waits for that line finds the pidfile.
  const pidfile = resolvedPidFile(config, ctx.deps.cwd);
  const written = await writePidFile(pidfile, process.pid);
  if (!written.ok) logger.error(`${written.error}; "salon reload" cannot find this server (send it SIGHUP instead)`);
  const removePid = (): Promise<void> => (written.ok ? removePidFile(pidfile, process.pid) : Promise.resolve())
    .catch((error: unknown) => logger.warn({ err: error }, 'cannot remove the pidfile'));
  try {
    server = await startServer({ config, logger });
  } catch (error) {
    wait.cancel();
    reloads.disable();
    await removePid();
    logger.fatal({ err: error }, 'start-up failed');
    complain(ctx, `start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    return Exit.Failure;
  }
  reloads.enable();
  const signal = await wait.signal;
  reloads.disable();
  logger.info({ signal }, 'stopping');
  const stopped = await stopWithin(() => server.stop(), stopTimeoutMs, (error) => logger.error({ err: error }, 'error while stopping'));
  await removePid();
  if (stopped) return Exit.Ok;
  logger.error({ timeoutMs: stopTimeoutMs }, 'the server did not stop in time');
  return Exit.Failure;
}

export async function runStartCommand(ctx: CommandContext): Promise<ExitCode> {
  const config = await loadForCommand(ctx);
  if (config === undefined) return Exit.Usage;
  const logger = createLogger({ level: coreOptions(config).log_level });
  return startConfigured(ctx, config, logger);
}
