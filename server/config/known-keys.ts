/**
 * Objects inside an option (the `fixture` section, a room's `config`, `ssl`) refuse unknown keys
 * with the same "did you mean" as unknown options: a typo such as `fixture: { user: … }` names
 * the key it was probably meant to be.
 */
import * as z from 'zod';
import { suggestionSuffix } from './did-you-mean.js';

/** The message of an unknown-keys issue, with a suggestion for each key that is close to a known one. */
export function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  const named = keys.map((key) => `${JSON.stringify(key)}${suggestionSuffix(key, known)}`);
  return `unknown ${keys.length === 1 ? 'key' : 'keys'} ${named.join(', ')}`;
}

/** `z.strictObject(shape)` whose unknown-keys issue carries a did-you-mean. */
export function knownKeysObject<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, known) : undefined),
  });
}

/** Whether an unknown-keys issue was made by `knownKeysObject` (its message already says everything). */
export function isSuggestedKeysMessage(message: string): boolean {
  return message.startsWith('unknown key');
}
