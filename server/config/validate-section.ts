/**
 * Validation of one section of a config file (the globals or one host): every option must be
 * known, have a valid value, and be allowed where it is written.
 */
import * as z from 'zod';
import type { ConfigError } from './config-error.js';
import { coreOptionShape, GLOBAL_ONLY_OPTIONS, isCoreOption } from './core-options.js';
import { describeIssues } from './describe-issues.js';
import { suggestionSuffix } from './did-you-mean.js';
import type { OptionIndex } from './option-index.js';
import { PARSE_ONCE } from './parse-once.js';

/** Where a section was written, for error messages. */
export interface SectionPlace {
  file: string | undefined;
  /** The host name; undefined for the global section. */
  host: string | undefined;
}

export interface SectionResult {
  /** The options as written (unset and `undefined` values left out); valid only if no errors. */
  values: Record<string, unknown>;
  errors: ConfigError[];
}

const MODULE_LISTS = ['modules_enabled', 'modules_disabled'] as const;

function problems(name: string, value: unknown, index: OptionIndex, place: SectionPlace): string[] {
  if (isCoreOption(name)) {
    if (place.host !== undefined && GLOBAL_ONLY_OPTIONS.has(name)) {
      return [`option "${name}" can only be set globally, not in a host section`];
    }
    const parsed = z.safeParse(coreOptionShape[name], value, PARSE_ONCE);
    return parsed.success ? [] : describeIssues(name, value, parsed.error.issues);
  }
  const schemas = index.moduleSchemas(name);
  if (schemas.length === 0) {
    return [`unknown option "${name}"${suggestionSuffix(name, index.knownNames())}`];
  }
  for (const { schema } of schemas) {
    const parsed = z.safeParse(schema, value, PARSE_ONCE);
    if (!parsed.success) return describeIssues(name, value, parsed.error.issues);
  }
  return [];
}

function unknownModules(values: Record<string, unknown>, index: OptionIndex): Array<[string, string]> {
  const messages: Array<[string, string]> = [];
  for (const list of MODULE_LISTS) {
    const names = values[list];
    if (!Array.isArray(names)) continue;
    for (const name of names) {
      if (typeof name === 'string' && !index.catalog.has(name)) {
        messages.push([list, `unknown module "${name}" in ${list}${suggestionSuffix(name, index.catalog.keys())}`]);
      }
    }
  }
  return messages;
}

/** A `ConfigError` located in a section (optional fields left out rather than undefined). */
export function placeError(place: SectionPlace, error: ConfigError): ConfigError {
  const located: ConfigError = { ...error };
  if (place.host !== undefined) located.host = place.host;
  if (place.file !== undefined) located.file = place.file;
  return located;
}

/** Validates every option of a section; the values are returned as written. */
export function validateSection(
  section: Readonly<Record<string, unknown>>,
  index: OptionIndex,
  place: SectionPlace,
): SectionResult {
  const values: Record<string, unknown> = {};
  const errors: ConfigError[] = [];
  const report = (option: string, message: string): void => {
    errors.push(placeError(place, { option, message }));
  };
  for (const [name, value] of Object.entries(section)) {
    // `option: process.env.X` with X unset is common in config files: treat it as not set.
    if (value === undefined) continue;
    const found = problems(name, value, index, place);
    for (const message of found) report(name, message);
    if (found.length === 0) values[name] = value;
  }
  for (const [list, message] of unknownModules(values, index)) report(list, message);
  return { values, errors };
}
