/**
 * Configuration errors are values: validation collects every problem it finds so that one run of
 * `salon check` shows them all, each on one line naming the file, the host section and the option.
 */

export interface ConfigError {
  /** The option concerned (Prosody name), when there is one. */
  option?: string;
  /** The host section the option was written in; absent for the global section. */
  host?: string;
  /** The config file, as shown to the user; absent for the embedded default. */
  file?: string;
  /** A complete sentence fragment that names the option itself, e.g. `unknown option "x"`. */
  message: string;
}

/**
 * One line per error: `salon.config.ts: host "localhost": unknown option "c2s_require_encyption"
 * (did you mean "c2s_require_encryption"?)`.
 */
export function formatConfigError(error: ConfigError): string {
  const file = error.file ?? 'config';
  const host = error.host === undefined ? '' : ` host "${error.host}":`;
  return `${file}:${host} ${error.message}`;
}

/** All errors, one line each, in the order they were found. */
export function formatConfigErrors(errors: readonly ConfigError[]): string {
  return errors.map(formatConfigError).join('\n');
}
