/** SASL failure conditions (RFC 6120 §6.5). */
export type SaslFailureCondition =
  | 'aborted' | 'account-disabled' | 'credentials-expired' | 'encryption-required'
  | 'incorrect-encoding' | 'invalid-authzid' | 'invalid-mechanism' | 'malformed-request'
  | 'mechanism-too-weak' | 'not-authorized' | 'temporary-auth-failure';

export class SaslFailure {
  readonly condition: SaslFailureCondition;
  readonly text: string | undefined;
  constructor(condition: SaslFailureCondition, text?: string) {
    this.condition = condition;
    this.text = text;
  }
}
