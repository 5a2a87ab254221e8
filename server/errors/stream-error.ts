/** Stream-level errors (RFC 6120 §4.9): `<stream:error>`, `</stream:stream>`, close. */
export type StreamErrorCondition =
  | 'bad-format' | 'bad-namespace-prefix' | 'conflict' | 'connection-timeout' | 'host-gone'
  | 'host-unknown' | 'improper-addressing' | 'internal-server-error' | 'invalid-from'
  | 'invalid-namespace' | 'invalid-xml' | 'not-authorized' | 'not-well-formed'
  | 'policy-violation' | 'remote-connection-failed' | 'reset' | 'resource-constraint'
  | 'restricted-xml' | 'see-other-host' | 'system-shutdown' | 'undefined-condition'
  | 'unsupported-encoding' | 'unsupported-feature' | 'unsupported-stanza-type'
  | 'unsupported-version';

export class StreamError extends Error {
  readonly condition: StreamErrorCondition;
  readonly text: string | undefined;

  constructor(condition: StreamErrorCondition, text?: string) {
    super(text ? `${condition}: ${text}` : condition);
    this.name = 'StreamError';
    this.condition = condition;
    this.text = text;
  }
}
