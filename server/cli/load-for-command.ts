/** Loading the config for a command: errors are printed, one per line, and mean exit 2. */
import { displayPath, formatConfigErrors, loadConfig, type ServerConfig } from '../config/index.js';
import type { CommandContext } from './command-context.js';

/** The validated config, or undefined after printing why there is none. */
export async function loadForCommand(ctx: CommandContext): Promise<ServerConfig | undefined> {
  const { env, cwd, catalog } = ctx.deps;
  const loaded = await loadConfig({ env, cwd, catalog, ...(ctx.configPath === undefined ? {} : { configPath: ctx.configPath }) });
  if (loaded.ok) return loaded.value;
  ctx.io.stderr.write(`${formatConfigErrors(loaded.error)}\n`);
  return undefined;
}

/** How the config's file is named in messages. */
export function configName(config: ServerConfig, ctx: CommandContext): string | undefined {
  return config.source === undefined ? undefined : displayPath(config.source, ctx.deps.cwd);
}
