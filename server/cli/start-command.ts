/**
 * `salon start`: validate the config, start the server, and stop it on SIGINT/SIGTERM. A stop
 * that takes longer than the deadline ends with exit 1 rather than hanging.
 */
import { coreOptions, type ServerConfig } from '../config/index.js';
import { createLogger, type Logger } from '../log/index.js';
import { complain, Exit, type CommandContext, type ExitCode, type StartedServer } from './command-context.js';
import { loadForCommand } from './load-for-command.js';
import { stopWithin, waitForSignal } from './process-lifetime.js';

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

async function startConfigured(ctx: CommandContext, config: ServerConfig, logger: Logger): Promise<ExitCode> {
  const { startServer, signals = process, stopTimeoutMs = DEFAULT_STOP_TIMEOUT_MS } = ctx.deps;
  if (startServer === undefined) {
    complain(ctx, 'this build cannot start a server');
    return Exit.Failure;
  }
  // Listening before start-up: a signal that arrives while starting stops the server once started.
  const wait = waitForSignal(signals);
  let server: StartedServer;
  try {
    server = await startServer({ config, logger });
  } catch (error) {
    wait.cancel();
    logger.fatal({ err: error }, 'start-up failed');
    complain(ctx, `start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    return Exit.Failure;
  }
  const signal = await wait.signal;
  logger.info({ signal }, 'stopping');
  if (await stopWithin(() => server.stop(), stopTimeoutMs, (error) => logger.error({ err: error }, 'error while stopping'))) return Exit.Ok;
  logger.error({ timeoutMs: stopTimeoutMs }, 'the server did not stop in time');
  return Exit.Failure;
}

export async function runStartCommand(ctx: CommandContext): Promise<ExitCode> {
  const config = await loadForCommand(ctx);
  if (config === undefined) return Exit.Usage;
  const logger = createLogger({ level: coreOptions(config).log_level });
  return startConfigured(ctx, config, logger);
}
