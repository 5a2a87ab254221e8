/** The `salon` command line, with its dependencies injected (see cli.ts for the real ones). */
export { runCli } from './run-cli.js';
export { Exit } from './command-context.js';
export type { CliDeps, ExitCode, StartedServer } from './command-context.js';
export type { CliIo, CliInput } from './cli-io.js';
export { readLine, promptHidden, obtainPassword } from './cli-io.js';
export type { RosterImporterFactory, RosterImportTarget } from './roster-import-target.js';
export type { ImportedContact, ImportEntry, ImportedSubscription } from './import-file.js';
export { parseImportFile, detectFormat } from './import-file.js';
export { usageFor } from './usage.js';
