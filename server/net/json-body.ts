/**
 * Reading a JSON body (RFC 8259) received or fetched over HTTP. What each body must hold (an
 * object, an array) and the message when it does not are the caller's; only the parse is here.
 */
import { err, ok, type Result } from '../errors/index.js';

/** The parsed value, or an error when the body is empty or not JSON (an HTML error page). */
export function parseJsonBody(body: Buffer | string): Result<unknown, 'not-json'> {
  try {
    return ok(JSON.parse(typeof body === 'string' ? body : body.toString('utf8')) as unknown);
  } catch {
    // A syntax error is the expected failure here, not a bug: the caller answers it.
    return err('not-json');
  }
}

/** A JSON object (`{…}`): not `null`, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
