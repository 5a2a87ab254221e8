/**
 * Turns zod issues into sentences a server operator understands: the option (with the path
 * inside it), what was expected and what was found.
 */
import type * as z from 'zod';
import { isSuggestedKeysMessage } from './known-keys.js';

type Issue = z.core.$ZodIssue;
type Path = readonly PropertyKey[];

/** `c2s_ports[1]`, `storage.roster`, `ssl.key`. */
export function optionLabel(option: string, path: Path): string {
  let label = option;
  for (const segment of path) {
    label += typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`;
  }
  return label;
}

/** A short description of a value found in a config file. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': return `the string ${JSON.stringify(value)}`;
    case 'number': return `the number ${value}`;
    case 'boolean': return String(value);
    case 'undefined': return 'nothing';
    case 'object': return 'an object';
    default: return `a ${typeof value}`;
  }
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string', number: 'a number', int: 'an integer', boolean: 'true or false',
  array: 'a list', object: 'an object', record: 'an object', undefined: 'nothing',
};

function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = Reflect.get(value, segment);
  }
  return value;
}

function plural(count: number | bigint, one: string, many: string): string {
  return `${count} ${count === 1 || count === 1n ? one : many}`;
}

function bound(issue: Issue & { code: 'too_small' | 'too_big' }): string {
  const small = issue.code === 'too_small';
  const limit = small ? issue.minimum : issue.maximum;
  if (issue.origin === 'array') return `must have ${small ? 'at least' : 'at most'} ${plural(limit, 'entry', 'entries')}`;
  if (issue.origin === 'string') {
    if (small && limit === 1) return 'must not be empty';
    return `must be ${small ? 'at least' : 'at most'} ${plural(limit, 'character', 'characters')} long`;
  }
  if (issue.inclusive === false) return `must be ${small ? 'greater' : 'less'} than ${limit}`;
  return `must be ${small ? 'at least' : 'at most'} ${limit}`;
}

function quoteAll(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/**
 * For a union, the branch that got furthest explains the failure best: first one whose problems
 * are all inside the value (its shape matched), then one whose type at least matched.
 */
function bestBranch(issue: Issue & { code: 'invalid_union' }): readonly Issue[] | undefined {
  return issue.errors.find((branch) => branch.every((i) => i.path.length > 0))
    ?? issue.errors.find((branch) => !branch.some((i) => i.code === 'invalid_type' && i.path.length === 0));
}

function describeOne(issue: Issue, found: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(found)}`;
    case 'too_small':
    case 'too_big':
      return bound(issue);
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${quoteAll(issue.values)}, got ${describeValue(found)}`
        : `must be one of ${quoteAll(issue.values)}, got ${describeValue(found)}`;
    case 'unrecognized_keys':
      // A known-keys object (`known-keys.ts`) has already named the keys with a did-you-mean.
      if (isSuggestedKeysMessage(issue.message)) return issue.message;
      return `unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${quoteAll(issue.keys)}`;
    case 'invalid_union':
      return `has the wrong type: got ${describeValue(found)}`;
    default:
      return issue.message;
  }
}

/** One message per issue, each naming the option: `option "c2s_ports[0]": must be at most 65535`. */
export function describeIssues(option: string, value: unknown, issues: readonly Issue[], base: Path = []): string[] {
  const messages: string[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union') {
      const branch = bestBranch(issue);
      if (branch !== undefined) {
        messages.push(...describeIssues(option, value, branch, path));
        continue;
      }
    }
    if ((issue.code === 'invalid_key' || issue.code === 'invalid_element') && issue.issues.length > 0) {
      messages.push(...describeIssues(option, value, issue.issues, path));
      continue;
    }
    messages.push(`option "${optionLabel(option, path)}": ${describeOne(issue, valueAt(value, path))}`);
  }
  return messages;
}
