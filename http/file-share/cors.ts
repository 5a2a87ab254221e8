/**
 * CORS for browser clients (Converse.js, Movim): uploads come from another origin and carry
 * `Authorization`, so browsers send a pre-flight first. Files are public to whoever holds their
 * unguessable URL, so any origin may read them (Prosody enables CORS on this endpoint too).
 */
import type { HttpResponse } from '../http-types.js';

export const corsHeaders: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
};

/** The answer to `OPTIONS` (a pre-flight). */
export function preflightResponse(): HttpResponse {
  return {
    status: 204,
    headers: {
      ...corsHeaders,
      'Access-Control-Allow-Methods': 'GET, HEAD, PUT, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type',
      'Access-Control-Max-Age': '86400',
    },
  };
}
