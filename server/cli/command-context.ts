/** What every command receives: parsed arguments, the terminal and the injected dependencies. */
import type { ServerConfig } from '../config/index.js';
import type { Logger } from '../log/index.js';
import type { AnyModuleDefinition } from '../modules/index.js';
import type { CliIo } from './cli-io.js';
import type { RosterImporterFactory } from './roster-import-target.js';

/** Exit codes (DESIGN.md §2 CLI): 0 ok, 1 runtime failure, 2 usage or configuration error. */
export const Exit = { Ok: 0, Failure: 1, Usage: 2 } as const;
export type ExitCode = (typeof Exit)[keyof typeof Exit];

/** A started server, as `salon start` needs it. */
export interface StartedServer {
  stop(): Promise<void>;
  /** Applies a new config (SIGHUP); logs what changed. Absent: the server cannot reload. */
  reload?(config: ServerConfig): Promise<unknown>;
}

export interface CliDeps {
  /** Modules of this build: they declare the options the config may use. */
  catalog: ReadonlyMap<string, AnyModuleDefinition>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  version: string;
  /** The composition root's `startServer`; only `salon start` needs it. */
  startServer?: (options: { config: ServerConfig; logger?: Logger }) => Promise<StartedServer>;
  /** Where SIGINT/SIGTERM (stop) and SIGHUP (reload) arrive (`process`); injectable for tests. */
  signals?: Pick<NodeJS.EventEmitter, 'once' | 'on' | 'off'>;
  /** How long `stop()` may take before `salon start` gives up; default 10 s. */
  stopTimeoutMs?: number;
  /** Writes imported rosters (the roster format belongs to the roster service); `salon import` needs it for files with rosters. */
  rosterImporter?: RosterImporterFactory;
}

export interface CommandContext {
  positionals: readonly string[];
  configPath: string | undefined;
  io: CliIo;
  deps: CliDeps;
}

/** Writes a line to standard error. */
export function complain(ctx: CommandContext, message: string): void {
  ctx.io.stderr.write(`salon: ${message}\n`);
}
