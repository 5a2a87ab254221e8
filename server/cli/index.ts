/** The `salon` command line, with its dependencies injected (see cli.ts for the real ones). */
export { runCli } from './run-cli.js';
export type { CliIo } from './cli-io.js';
export { finishProcess } from './finish-process.js';
export { stopWithin, waitForSignal } from './process-lifetime.js';
