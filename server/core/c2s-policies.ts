/** The per-host negotiation policy and the stream limits, read from the config once. */
import { coreOptions, coreOptionsFor, type ServerConfig } from '../config/index.js';
import type { C2sLimits, C2sPolicy } from '../stream/index.js';

export function c2sPolicyFor(config: ServerConfig, host: string): C2sPolicy {
  const options = coreOptionsFor(config, host);
  return {
    requireEncryption: options.c2s_require_encryption,
    allowUnencryptedPlain: options.allow_unencrypted_plain_auth,
    disabledMechanisms: options.disable_sasl_mechanisms,
    allowRegistration: options.allow_registration,
  };
}

export function c2sLimits(config: ServerConfig): C2sLimits {
  const options = coreOptions(config);
  return {
    unauthedStanzaBytes: options.c2s_unauthed_stanza_size_limit,
    stanzaBytes: options.c2s_stanza_size_limit,
    maxDepth: options.c2s_xml_depth_limit,
    maxAttributes: 64,
    unauthedTimeoutMs: options.c2s_timeout * 1000,
    sendQueueBytes: options.c2s_send_queue_limit,
    saslAttemptsPerStream: 3,
    pendingStanzas: 1000,
    inputQueueBytes: options.c2s_input_queue_limit,
  };
}
