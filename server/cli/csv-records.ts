/**
 * Records of a CSV file (RFC 4180): comma-separated fields, a field may be quoted with `"` and a
 * quote inside it doubled; CRLF or LF line ends; empty lines are skipped. A password may contain
 * commas or quotes when its field is quoted.
 */
import { err, ok, type Result } from '../errors/index.js';

export interface CsvRecord {
  /** 1-based line number where the record starts. */
  line: number;
  fields: string[];
}

const QUOTE = '"';

/** Splits `text` into records; the error names the line of an unterminated quote. */
export function parseCsvRecords(text: string): Result<CsvRecord[], string> {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let startLine = 1;
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte order mark is not data
  for (; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === QUOTE && text[i + 1] === QUOTE) {
        field += QUOTE;
        i++;
      } else if (char === QUOTE) {
        quoted = false;
      } else {
        if (char === '\n') line++;
        field += char;
      }
    } else if (char === QUOTE && field === '') {
      quoted = true;
    } else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') records.push({ line: startLine, fields });
      fields = [];
      field = '';
      startLine = ++line;
    } else {
      field += char;
    }
  }
  if (quoted) return err(`line ${startLine}: a quoted field is not closed`);
  fields.push(field);
  if (fields.length > 1 || fields[0] !== '') records.push({ line: startLine, fields });
  return ok(records);
}
