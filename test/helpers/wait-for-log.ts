/** Waiting for a line in a test server's recorded log. */
import type { TestServer } from './test-server.js';

/** Resolves with the first log line matching `predicate` (the logs are an array the logger appends to). */
export function waitForLog(target: TestServer, predicate: (line: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = (): void => {
      const found = target.logs.find(predicate);
      if (found !== undefined) return resolve(found);
      if (Date.now() > deadline) return reject(new Error('timed out waiting for the log line'));
      setTimeout(check, 20);
    };
    check();
  });
}
