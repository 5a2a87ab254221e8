/**
 * Applying a submitted room configuration form (XEP-0045 §10.1.2 instant room, §10.1.3 reserved
 * room, §10.2 subsequent configuration).
 *
 * Error policy:
 * - not a `jabber:x:data` form, a form type other than `submit`/`cancel`, a malformed field list or
 *   a FORM_TYPE other than `muc#roomconfig` → `bad-request` (the request is not a configuration
 *   form at all; Prosody answers the same);
 * - a known field with a value of the wrong type, outside its option list or out of range, and a
 *   password-protected room without a password → `not-acceptable` (§10.1.3: "If the room creation
 *   fails because the specified room configuration options violate one or more service policies
 *   … the service MUST return a <not-acceptable/> error");
 * - unknown fields are ignored: XEP-0004 forms are extensible and clients echo fields of other
 *   extensions (Prosody ignores them too). Nothing is applied unless the whole form is valid.
 */
import type { Element } from 'ltx';
import { NS } from '../../server/xml/index.js';
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';
import { formTypeOf, readFormFields, type SubmittedFields } from './data-form.js';
import { CONFIG_FIELD_VARS, MAX_HISTORY_FETCH_VAR } from './config-form.js';
import {
  ALLOW_PM_VALUES, BROADCAST_ROLES, DEFAULT_MAX_HISTORY, WHOIS_VALUES, diffConfig,
  type BroadcastRole, type ConfigChange, type ConfigField, type RoomConfig,
} from './room-config.js';

export interface ConfigSubmitOptions {
  /** Upper bound of `historylength` (Prosody's `max_history_messages`). */
  readonly maxHistory?: number;
  /** Upper bound of `maxusers`; unbounded when omitted. */
  readonly maxUsersLimit?: number;
}

/** `cancel`: leave (or, for a new room, destroy) the room; `instant`: an empty submit (§10.1.2). */
export type ConfigSubmitOutcome = 'submit' | 'instant' | 'cancel';

export interface ConfigSubmitResult {
  readonly outcome: ConfigSubmitOutcome;
  /** The configuration to use from now on (the current one for `cancel` and `instant`). */
  readonly config: RoomConfig;
  /** What changed, for the status-code message of §10.2.1. */
  readonly changes: readonly ConfigChange[];
}

interface Limits {
  readonly maxHistory: number;
  readonly maxUsersLimit: number;
}

/** Why a value was refused; becomes the text of the `not-acceptable` error. */
type Parsed<T> = Result<T, string>;
type FieldParser<K extends ConfigField> = (values: readonly string[], limits: Limits) => Parsed<RoomConfig[K]>;

/** An `xml:lang` tag as `muc#roomconfig_lang` accepts it (RFC 5646 shape, loosely). */
export const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/;
const DIGITS = /^[0-9]{1,9}$/;

function singleValue(values: readonly string[]): Parsed<string> {
  if (values.length > 1) return err('takes a single value');
  return ok(values[0] ?? '');
}

function parseText(values: readonly string[]): Parsed<string> {
  return singleValue(values);
}

/** XEP-0004 §3.3: "1"/"true" and "0"/"false"; a boolean without a value is false. */
function parseBoolean(values: readonly string[]): Parsed<boolean> {
  const value = singleValue(values);
  if (!value.ok) return value;
  if (value.value === '1' || value.value === 'true') return ok(true);
  if (value.value === '0' || value.value === 'false' || value.value === '') return ok(false);
  return err('is not a boolean');
}

function parseChoice<T extends string>(allowed: readonly T[]): (values: readonly string[]) => Parsed<T> {
  return (values) => {
    const value = singleValue(values);
    if (!value.ok) return value;
    const choice = allowed.find((candidate) => candidate === value.value);
    return choice === undefined ? err('is not one of the options') : ok(choice);
  };
}

function parseLanguage(values: readonly string[]): Parsed<string> {
  const value = singleValue(values);
  if (!value.ok) return value;
  return value.value === '' || LANGUAGE_TAG.test(value.value) ? value : err('is not a language tag');
}

function parseInteger(values: readonly string[], min: number, max: number): Parsed<number> {
  const value = singleValue(values);
  if (!value.ok) return value;
  if (!DIGITS.test(value.value)) return err('is not a number');
  const n = Number(value.value);
  return n >= min && n <= max ? ok(n) : err(`must be between ${min} and ${max}`);
}

function parseMaxUsers(values: readonly string[], limits: Limits): Parsed<number | undefined> {
  if (values.length === 1 && values[0] === 'none') return ok(undefined);
  return parseInteger(values, 1, limits.maxUsersLimit);
}

function parseBroadcast(values: readonly string[]): Parsed<readonly BroadcastRole[]> {
  const roles: BroadcastRole[] = [];
  for (const value of values) {
    const role = BROADCAST_ROLES.find((candidate) => candidate === value);
    if (role === undefined) return err('is not one of the options');
    if (!roles.includes(role)) roles.push(role);
  }
  return ok(roles);
}

const PARSERS: { readonly [K in ConfigField]: FieldParser<K> } = {
  roomname: parseText,
  roomdesc: parseText,
  lang: parseLanguage,
  persistentroom: parseBoolean,
  publicroom: parseBoolean,
  membersonly: parseBoolean,
  moderatedroom: parseBoolean,
  passwordprotectedroom: parseBoolean,
  roomsecret: parseText,
  whois: parseChoice(WHOIS_VALUES),
  maxusers: parseMaxUsers,
  changesubject: parseBoolean,
  allowinvites: parseBoolean,
  allowpm: parseChoice(ALLOW_PM_VALUES),
  historylength: (values, limits) => parseInteger(values, 0, limits.maxHistory),
  presencebroadcast: parseBroadcast,
  enablearchiving: parseBoolean,
};

function notAcceptable(fieldVar: string, reason: string): StanzaError {
  return StanzaError.modify('not-acceptable', { text: `${fieldVar} ${reason}` });
}

/** The submitted values of one option, honouring the `muc#maxhistoryfetch` alias. */
function submittedValues(fields: SubmittedFields, field: ConfigField): readonly string[] | undefined {
  const values = fields.get(CONFIG_FIELD_VARS[field]);
  if (values === undefined && field === 'historylength') return fields.get(MAX_HISTORY_FETCH_VAR);
  return values;
}

function applyField<K extends ConfigField>(
  config: RoomConfig, field: K, fields: SubmittedFields, limits: Limits,
): StanzaError | undefined {
  const values = submittedValues(fields, field);
  if (values === undefined) return undefined; // not submitted: unchanged
  const parsed = PARSERS[field](values, limits);
  if (!parsed.ok) return notAcceptable(CONFIG_FIELD_VARS[field], parsed.error);
  config[field] = parsed.value;
  return undefined;
}

/**
 * A form carrying only the password (as Prosody's does) protects the room when it is non-empty;
 * a protected room must have a password (§10.1.3: "because the password for a password-protected
 * room is blank" is the XEP's own example of a not-acceptable configuration).
 */
function checkPassword(config: RoomConfig, fields: SubmittedFields): StanzaError | undefined {
  const secretGiven = fields.has(CONFIG_FIELD_VARS.roomsecret);
  if (secretGiven && !fields.has(CONFIG_FIELD_VARS.passwordprotectedroom)) {
    config.passwordprotectedroom = config.roomsecret !== '';
  }
  if (config.passwordprotectedroom && config.roomsecret === '') {
    return notAcceptable(CONFIG_FIELD_VARS.roomsecret, 'is required for a password-protected room');
  }
  return undefined;
}

function applyFields(current: RoomConfig, fields: SubmittedFields, limits: Limits): Result<RoomConfig, StanzaError> {
  const next: RoomConfig = { ...current, presencebroadcast: [...current.presencebroadcast] };
  for (const field of Object.keys(PARSERS) as ConfigField[]) {
    const problem = applyField(next, field, fields, limits);
    if (problem) return err(problem);
  }
  const problem = checkPassword(next, fields);
  return problem ? err(problem) : ok(next);
}

/**
 * Applies an owner's `<x xmlns='jabber:x:data'/>` (the child of the `muc#owner` query) to the
 * current configuration. Returns the new configuration and its changes, or the error to answer with.
 */
export function applyConfigSubmit(
  current: RoomConfig, submitted: Element, options: ConfigSubmitOptions = {},
): Result<ConfigSubmitResult, StanzaError> {
  if (!submitted.is('x', NS.dataForms)) return err(StanzaError.modify('bad-request', { text: 'Not a data form' }));
  const type: unknown = submitted.attrs.type;
  if (type === 'cancel') return ok({ outcome: 'cancel', config: current, changes: [] });
  if (type !== 'submit') return err(StanzaError.modify('bad-request', { text: 'Not a submitted form' }));
  const read = readFormFields(submitted);
  if (!read.ok) return read;
  // §10.1.2: an empty submit form accepts the current (default) configuration.
  if (read.value.size === 0) return ok({ outcome: 'instant', config: current, changes: [] });
  if (formTypeOf(read.value) !== NS.mucRoomConfig) {
    return err(StanzaError.modify('bad-request', { text: 'Form is not of type room configuration' }));
  }
  const limits: Limits = {
    maxHistory: options.maxHistory ?? DEFAULT_MAX_HISTORY,
    maxUsersLimit: options.maxUsersLimit ?? Number.MAX_SAFE_INTEGER,
  };
  const applied = applyFields(current, read.value, limits);
  if (!applied.ok) return applied;
  return ok({ outcome: 'submit', config: applied.value, changes: diffConfig(current, applied.value) });
}
