/**
 * `salon start`: validate the config, start the server, and stop it on SIGINT/SIGTERM. A stop
 * that takes longer than the deadline ends with exit 1 rather than hanging.
 */
import { coreOptions, type ServerConfig } from '../config/index.js';
import { createLogger, type Logger } from '../log/index.js';
import { complain, Exit, type CliDeps, type CommandContext, type ExitCode, type StartedServer } from './command-context.js';
import { loadForCommand } from './load-for-command.js';

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/** The first SIGINT or SIGTERM, listened for until it comes or `cancel` is called. */
interface SignalWait {
  signal: Promise<string>;
  cancel(): void;
}

function waitForSignal(signals: NonNullable<CliDeps['signals']>): SignalWait {
  let cancel = (): void => undefined;
  const signal = new Promise<string>((resolve) => {
    const onInt = (): void => finish('SIGINT');
    const onTerm = (): void => finish('SIGTERM');
    cancel = (): void => {
      signals.off('SIGINT', onInt);
      signals.off('SIGTERM', onTerm);
    };
    const finish = (name: string): void => {
      cancel();
      resolve(name);
    };
    signals.once('SIGINT', onInt);
    signals.once('SIGTERM', onTerm);
  });
  return { signal, cancel };
}

/** Stops the server within the deadline: true when it stopped in time. */
async function stopWithin(server: StartedServer, ms: number, logger: Logger): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([server.stop().then(() => true), deadline]);
  } catch (error) {
    logger.error({ err: error }, 'error while stopping');
    return false;
  } finally {
    clearTimeout(timer);
  }
}

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
  if (await stopWithin(server, stopTimeoutMs, logger)) return Exit.Ok;
  logger.error({ timeoutMs: stopTimeoutMs }, 'the server did not stop in time');
  return Exit.Failure;
}

export async function runStartCommand(ctx: CommandContext): Promise<ExitCode> {
  const config = await loadForCommand(ctx);
  if (config === undefined) return Exit.Usage;
  const logger = createLogger({ level: coreOptions(config).log_level });
  return startConfigured(ctx, config, logger);
}
