/**
 * Stanza-level errors (RFC 6120 §8.3): the sender gets an error reply, the stream stays up.
 * Expected failures are values of this class, returned rather than thrown.
 */
export type StanzaErrorType = 'auth' | 'cancel' | 'continue' | 'modify' | 'wait';

export type StanzaErrorCondition =
  | 'bad-request' | 'conflict' | 'feature-not-implemented' | 'forbidden' | 'gone'
  | 'internal-server-error' | 'item-not-found' | 'jid-malformed' | 'not-acceptable'
  | 'not-allowed' | 'not-authorized' | 'policy-violation' | 'recipient-unavailable'
  | 'redirect' | 'registration-required' | 'remote-server-not-found'
  | 'remote-server-timeout' | 'resource-constraint' | 'service-unavailable'
  | 'subscription-required' | 'undefined-condition' | 'unexpected-request';

/** RFC 6120 §8.3.3: the type each condition usually carries. */
const DEFAULT_TYPE: Record<StanzaErrorCondition, StanzaErrorType> = {
  'bad-request': 'modify', conflict: 'cancel', 'feature-not-implemented': 'cancel',
  forbidden: 'auth', gone: 'cancel', 'internal-server-error': 'cancel',
  'item-not-found': 'cancel', 'jid-malformed': 'modify', 'not-acceptable': 'modify',
  'not-allowed': 'cancel', 'not-authorized': 'auth', 'policy-violation': 'modify',
  'recipient-unavailable': 'wait', redirect: 'modify', 'registration-required': 'auth',
  'remote-server-not-found': 'cancel', 'remote-server-timeout': 'wait',
  'resource-constraint': 'wait', 'service-unavailable': 'cancel',
  'subscription-required': 'auth', 'undefined-condition': 'cancel',
  'unexpected-request': 'wait',
};

export interface StanzaErrorOptions {
  /** Human-readable text; never copy untrusted backend text into it. */
  text?: string;
  /** The entity that generated the error (`by` attribute, XEP-0045 uses the service domain). */
  by?: string;
  /** An application-specific condition element, e.g. `<blocked xmlns='urn:xmpp:blocking:errors'/>`. */
  appCondition?: { name: string; xmlns: string };
}

export class StanzaError {
  readonly type: StanzaErrorType;
  readonly condition: StanzaErrorCondition;
  readonly text: string | undefined;
  readonly by: string | undefined;
  readonly appCondition: { name: string; xmlns: string } | undefined;

  constructor(condition: StanzaErrorCondition, type?: StanzaErrorType, options: StanzaErrorOptions = {}) {
    this.condition = condition;
    this.type = type ?? DEFAULT_TYPE[condition];
    this.text = options.text;
    this.by = options.by;
    this.appCondition = options.appCondition;
  }

  /** Shorthand constructors named after the error type. */
  static cancel(condition: StanzaErrorCondition, options?: StanzaErrorOptions): StanzaError {
    return new StanzaError(condition, 'cancel', options);
  }
  static modify(condition: StanzaErrorCondition, options?: StanzaErrorOptions): StanzaError {
    return new StanzaError(condition, 'modify', options);
  }
  static auth(condition: StanzaErrorCondition, options?: StanzaErrorOptions): StanzaError {
    return new StanzaError(condition, 'auth', options);
  }
  static wait(condition: StanzaErrorCondition, options?: StanzaErrorOptions): StanzaError {
    return new StanzaError(condition, 'wait', options);
  }

  /** A copy carrying a `by` attribute. */
  withBy(by: string): StanzaError {
    return new StanzaError(this.condition, this.type, { text: this.text, by, appCondition: this.appCondition });
  }
}

export function isStanzaError(value: unknown): value is StanzaError {
  return value instanceof StanzaError;
}
