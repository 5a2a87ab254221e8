/**
 * Ends the process with `code` once a command's work is done: stray handles (a stdin left open,
 * a slow socket) must not keep a finished command alive.
 */
export function finishProcess(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2_000).unref();
}
