/** Translation of saxes diagnostics and forbidden constructs into stream errors (RFC 6120 §4.9.3, §11). */
import { StreamError } from '../errors/index.js';

/**
 * A saxes well-formedness error as a stream error. saxes reports an entity other than the five
 * predefined ones as "undefined entity" and a misplaced DOCTYPE by name: RFC 6120 §11.1 makes
 * both `restricted-xml`; everything else it reports is `not-well-formed` (§4.9.3.13).
 */
export function streamErrorFromSaxes(error: Error): StreamError {
  const message = error.message;
  if (message.endsWith('undefined entity.') || message.includes('doctype')) {
    return new StreamError('restricted-xml', message);
  }
  return new StreamError('not-well-formed', message);
}

/** RFC 6120 §11.1: comments, processing instructions and DTDs are not allowed in a stream. */
export function restrictedXml(what: 'comment' | 'processing instruction' | 'DTD'): StreamError {
  return new StreamError('restricted-xml', `XML ${what} not allowed`);
}

/** RFC 6120 §11.6: UTF-8 is the only encoding. */
export function checkDeclaredEncoding(encoding: string | undefined): StreamError | undefined {
  if (encoding === undefined || encoding.toLowerCase() === 'utf-8') return undefined;
  return new StreamError('unsupported-encoding', `Encoding ${encoding} not supported`);
}
