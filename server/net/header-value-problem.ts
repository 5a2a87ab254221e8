/**
 * Whether a configured string can be sent, or matched, as an HTTP field value (RFC 9110 §5.5):
 * the Authorization values of the HTTP plugins. Checked once, when the configuration is read.
 */

/** RFC 9110 §5.5: no control character but horizontal tab (CR, LF and NUL above all). */
const CONTROL_CHARACTER = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/**
 * RFC 9110 §5.5: a field value has no leading or trailing whitespace; parsers drop it, so a
 * received value never carries it and a configured secret with it could never match.
 */
const EDGE_WHITESPACE = /^[ \t]|[ \t]$/;

/**
 * Why `value` is no usable field value, as words to follow the option's name (`is empty`), or
 * undefined when it is one.
 */
export function headerValueProblem(value: string): string | undefined {
  if (value.trim() === '') return 'is empty';
  if (CONTROL_CHARACTER.test(value)) return 'contains a line break (CR or LF) or another control character';
  if (EDGE_WHITESPACE.test(value)) return 'has leading or trailing whitespace, which a received header never has';
  return undefined;
}
