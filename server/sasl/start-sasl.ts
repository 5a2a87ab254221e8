/** Starts the server side of a mechanism the client chose in `<auth mechanism='…'/>`. */
import type { SaslContext, SaslOptions, SaslServerSession } from './types.js';
import { PlainSession } from './plain-session.js';
import { ScramSession, randomServerNonce } from './scram-session.js';

/**
 * A session for `mechanism` (names are case-sensitive, RFC 4422 §3.1), or undefined for a
 * mechanism this server does not implement (`invalid-mechanism`). The caller must first check
 * that the mechanism is among `offeredMechanisms(...)` for this stream: this function does not
 * know whether PLAIN or -PLUS were offered.
 */
export function startSasl(mechanism: string, context: SaslContext, options: SaslOptions = {}): SaslServerSession | undefined {
  const serverNonce = options.serverNonce ?? randomServerNonce;
  switch (mechanism) {
    case 'PLAIN': return new PlainSession(context);
    case 'SCRAM-SHA-1': return new ScramSession({ hash: 'SHA-1', plus: false, context, serverNonce });
    case 'SCRAM-SHA-256': return new ScramSession({ hash: 'SHA-256', plus: false, context, serverNonce });
    case 'SCRAM-SHA-1-PLUS': return new ScramSession({ hash: 'SHA-1', plus: true, context, serverNonce });
    case 'SCRAM-SHA-256-PLUS': return new ScramSession({ hash: 'SHA-256', plus: true, context, serverNonce });
    default: return undefined;
  }
}
