/**
 * `salon reload [--config FILE]`: checks the config (an invalid one is reported here, exit 2,
 * and the server is not disturbed), then sends SIGHUP to the server named by the pidfile. The
 * server logs one line saying what changed, what it applied and what needs a restart.
 */
import { resolvedPidFile } from '../config/index.js';
import { complain, Exit, type CommandContext, type ExitCode } from './command-context.js';
import { loadForCommand } from './load-for-command.js';
import { processExists, readPidFile } from './pid-file.js';

export async function runReloadCommand(ctx: CommandContext): Promise<ExitCode> {
  const config = await loadForCommand(ctx);
  if (config === undefined) return Exit.Usage;
  const path = resolvedPidFile(config, ctx.deps.cwd);
  const content = await readPidFile(path);
  if ('missing' in content) {
    complain(ctx, `salon is not running (no pidfile at ${path})`);
    return Exit.Failure;
  }
  if ('invalid' in content) {
    complain(ctx, `cannot read the pidfile ${path}: ${content.invalid}`);
    return Exit.Failure;
  }
  if (!processExists(content.pid)) {
    complain(ctx, `salon is not running (the pidfile ${path} names process ${content.pid}, which does not exist)`);
    return Exit.Failure;
  }
  try {
    process.kill(content.pid, 'SIGHUP');
  } catch (error) {
    complain(ctx, `cannot signal process ${content.pid}: ${error instanceof Error ? error.message : String(error)}`);
    return Exit.Failure;
  }
  ctx.io.stdout.write(`sent SIGHUP to salon (pid ${content.pid}); its log says what changed\n`);
  return Exit.Ok;
}
