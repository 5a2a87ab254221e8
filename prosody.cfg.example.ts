/**
 * Salon example configuration. Copy it to `salon.config.ts` (or point `--config` /
 * `SALON_CONFIG` at it) and edit. Option names are Prosody's, so a `prosody.cfg.lua` ports line
 * by line: `c2s_require_encryption = true` becomes `c2s_require_encryption: true`.
 *
 * An option is looked up on its host, then in the global section, then its default. Every value
 * below is the default: delete what you do not change. `salon check --config FILE` validates the
 * file and prints what would start; `salon check --help` lists every core option.
 *
 * Environment variables override the file: SALON_DATA_PATH, SALON_LOG_LEVEL, SALON_C2S_PORT,
 * SALON_C2S_DIRECT_TLS_PORT, SALON_HTTP_PORT, SALON_HTTPS_PORT (a port, "5222,5322", or "off").
 */
import { defineConfig, VirtualHost, Component } from 'salon';

export default defineConfig({
  // ---------------------------------------------------------------- Server-wide (global only)

  // Directory for persistent data (accounts, rosters, rooms, the self-signed certificate),
  // relative to the working directory.
  data_path: './data',
  // Minimum level of the JSON log lines on stdout: fatal, error, warn, info, debug, trace, silent.
  log_level: 'info',

  // Client ports offering STARTTLS (RFC 6120 §5); [] disables them.
  c2s_ports: [5222],
  // Client ports speaking TLS from the first byte (XEP-0368); [] disables them.
  c2s_direct_tls_ports: [5223],
  // Addresses the client ports listen on: '*' means every interface; otherwise IP addresses.
  c2s_interfaces: ['*'],

  // Largest stanza accepted from an authenticated client, in bytes (policy-violation beyond).
  c2s_stanza_size_limit: 262144,
  // Largest stanza accepted before authentication, in bytes.
  c2s_unauthed_stanza_size_limit: 10000,
  // Deepest element nesting accepted in a stanza.
  c2s_xml_depth_limit: 64,
  // Seconds a client stream may stay unauthenticated before it is closed.
  c2s_timeout: 300,
  // Bytes buffered for a slow client before it is disconnected (never buffered without limit).
  c2s_send_queue_limit: 4194304,
  // Simultaneous client connections allowed from one IP address.
  c2s_max_connections_per_ip: 100,
  // Failed authentications allowed from one IP address (limit_auth_max) per period in seconds
  // (limit_auth_period), as in Prosody's mod_limit_auth.
  limit_auth_period: 30,
  limit_auth_max: 5,

  // Directory of <host>.crt / <host>.key files (or <host>/fullchain.pem and privkey.pem),
  // relative to this file. A host without one uses a self-signed certificate generated on
  // first start in <data_path>/certs/.
  certificates: 'certs',

  // ------------------------------------------------ Defaults for every host (a host may override)

  // Bare JIDs of the server administrators.
  admins: [],
  // Modules loaded on every host (Prosody's rule: a host's own modules_enabled adds to these,
  // its modules_disabled removes from them). Modules that are always loaded need no entry.
  modules_enabled: [],
  modules_disabled: [],
  // Storage driver for every store, "internal" (JSON files under data_path) or "memory"
  // (nothing kept), or a map store → driver such as { roster: 'memory' }.
  storage: 'internal',
  // Refuse authentication and stanzas on client streams without TLS.
  c2s_require_encryption: true,
  // Offer SASL PLAIN on streams without TLS. Never enable this in production.
  allow_unencrypted_plain_auth: false,
  // PBKDF2 iterations for new SCRAM keys (RFC 7677 §4: at least 4096).
  sasl_iterations: 10000,
  // SASL mechanisms never offered, e.g. ['PLAIN'].
  disable_sasl_mechanisms: [],
  // Let clients create accounts in-band (XEP-0077).
  allow_registration: false,
  // Account backend: "internal_hashed" stores SCRAM keys, never passwords.
  authentication: 'internal_hashed',
  // Explicit certificate for every host, relative to this file (overrides `certificates`):
  // ssl: { certificate: 'certs/example.org.crt', key: 'certs/example.org.key' },

  // ------------------------------------------------------------------------------ Module options
  // Modules declare their own options (Prosody names, defaults and bounds in each module).
  // They may be set here for every host, or in a host section. Documented as modules appear:
  //
  // muc (XEP-0045 multi-user chat; options of a Component(name, 'muc') host, Prosody's mod_muc names)
  // Who may create rooms: false (anyone), true or 'admin' (server admins only), 'local' (users of
  // the service's parent domain, e.g. localhost for conference.localhost) — admins always may.
  restrict_room_creation: false,
  // Lock a new room (status 201, others get item-not-found) until its owner configures it, and
  // destroy a room still locked after muc_room_lock_timeout seconds.
  muc_room_locking: true,
  muc_room_lock_timeout: 300,
  // The most history messages any room keeps and replays (bounds muc#roomconfig_historylength).
  max_history_messages: 20,
  // The configuration of a new room.
  muc_room_default_public: true,
  muc_room_default_persistent: false,
  muc_room_default_members_only: false,
  muc_room_default_moderated: false,
  muc_room_default_public_jids: false,
  muc_room_default_change_subject: false,
  muc_room_default_history_length: 20,
  muc_room_default_language: '',
  // The longest room nickname, in characters.
  muc_max_nick_length: 23,
  // [Salon] Seconds a muc-*-pre-* hook (such as an external join authorizer) may take before the
  // action is refused (fail closed). Keep it above the plugins' own timeouts.
  muc_hook_deadline: 30,
  //
  // muc_http_auth (Prosody's community module: a web application decides who may enter which
  // room). Before a session joins a room, takes a new nickname there, or (optionally) registers
  // with it, the MUC service sends GET <muc_http_auth_url>?userJID=…&mucJID=…&nickname=… (values
  // percent-encoded; appended with & when the URL already has a query) with
  // Accept: application/json. Only HTTP 200 with {"allowed": true} admits; anything else —
  // {"allowed": false, "error": "…"} (the text is logged, never shown), another status, a body that
  // is not a JSON object, a network error, a timeout — refuses with auth/not-authorized. An allow is
  // never an override: bans, members-only, passwords and locks still apply. Options (set them in
  // the MUC Component's section; an invalid value stops start-up):
  //   muc_http_auth_url: 'https://app.example.com/can-join',  // required: absolute http(s) URL
  //   muc_http_auth_enabled_for: ['teaparty'],    // check only these rooms (node part), or per user
  //                                               // domain: { 'example.com': ['orchard'], all: ['teaparty'] }
  //   muc_http_auth_disabled_for: ['lobby'],      // check every room but these (same two shapes);
  //                                               // neither set: every room; both set: enabled_for wins
  //   muc_http_auth_authorization_header: 'Bearer app-key',  // sent verbatim (unset: no header)
  //   muc_http_auth_insecure: false,              // true skips TLS verification (development only)
  //   muc_http_auth_authorize_registration: false, // also authorize jabber:iq:register to rooms
  //   muc_http_auth_timeout: 10,                  // [Salon] seconds per request; keep it below
  //                                               // muc_hook_deadline
  //
  // http_muc_kick (Prosody's community module: POST /muc_kick on the MUC service's HTTP host, e.g.
  //   curl -H 'Authorization: Basic dXNlcm5hbWU6cGFzc3dvcmQ=' -H 'Host: conference.localhost' \
  //        --data '{"nickname": "Bob", "muc": "snuggery@conference.localhost", "reason": "spam"}' \
  //        http://127.0.0.1:5280/muc_kick
  // kicks the occupant like a moderator would, with the service as actor; 200 with an empty body,
  // otherwise a JSON {"error": "…"}). The one option is required: without it the plugin does not
  // load (an error is logged) and /muc_kick does not exist. Ten wrong Authorization values from
  // one address within a minute get 429 for the rest of that minute.
  //   http_muc_kick_authorization_header: 'Basic dXNlcm5hbWU6cGFzc3dvcmQ=',  // compared exactly
  // Example of both plugins on a MUC service:
  //   Component('conference.example.com', 'muc', {
  //     modules_enabled: ['muc_http_auth', 'http_muc_kick'],
  //     muc_http_auth_url: 'https://app.example.com/can-join',
  //     muc_http_auth_enabled_for: { all: ['teaparty'], 'example.com': ['orchard'] },
  //     muc_http_auth_authorization_header: process.env.MUC_AUTH_HEADER,
  //     http_muc_kick_authorization_header: process.env.MUC_KICK_HEADER,
  //   }),
  //
  // http_roster_admin (a VirtualHost's rosters owned by an external web application; Prosody's
  // community module of the same name). On the host it is enabled on it replaces the built-in
  // roster (rosters are fetched at the first roster get, kept in memory only while the user is
  // online, read-only for clients), blocks presence subscriptions (block_subscriptions), and
  // serves POST /roster_admin/refresh (body: a JSON array of usernames whose rosters changed) and
  // GET /roster_admin/refresh/<username> on the HTTP listener (the request's Host names the host).
  // The backend answers GET <http_roster_url> with 200 and a JSON object:
  //   { "marie@example.com": { "name": "Marie", "groups": ["Friends"] }, "michael@example.com": {} }
  // Options (set them in the host section):
  //   http_roster_url: 'https://app.example.com/contacts/%s',  // %s: the URL-encoded username; %%: a literal %
  //   http_roster_timeout: 10,                                  // [Salon] seconds one fetch may take in total
  //   http_roster_authorization_header: 'Bearer backend-key',  // [Salon] sent to the backend (unset: none)
  //   http_roster_admin_authorization_header: 'Bearer refresh-key', // [Salon] required by the refresh
  //                                                              // endpoints (unset: open, with a warning)
  // Example:
  //   VirtualHost('example.com', {
  //     modules_enabled: ['http_roster_admin'],
  //     http_roster_url: 'https://app.example.com/contacts/%s',
  //     http_roster_admin_authorization_header: process.env.ROSTER_REFRESH_KEY,
  //   }),
  // A config ported from Prosody's README may still enable block_subscriptions, storage_memory and
  // http_files, disable "roster" and set storage = { roster: 'memory' }: accepted, and not needed.
  // block_subscriptions alone blocks subscriptions on a host that keeps the built-in roster.
  //
  // websocket, bosh, http_altconnect (web clients; loaded on every VirtualHost unless listed in
  // modules_disabled, on the HTTP listener: http_ports / https_ports).
  // websocket: XMPP over WebSocket (RFC 7395) at /xmpp-websocket (http_paths name "websocket").
  // The "xmpp" subprotocol is required (HTTP 400 without it). wss:// (HTTPS) connections are
  // encrypted; ws:// ones count as encrypted only with consider_websocket_secure (TLS ended by a
  // proxy in front of Salon) — only then are SASL and stanzas allowed under c2s_require_encryption.
  //   consider_websocket_secure: false,
  // Pages of other origins allowed to connect (HTTP 403 otherwise): true (any), or a list of
  // origins. A page of the server's own origin, and clients that send no Origin header (native
  // clients), may always connect. Prosody's default allows only its own origin too.
  //   cross_domain_websocket: ['https://chat.example.com'],
  //   websocket_ping_interval: 60,  // [Salon] seconds between WebSocket pings; a peer that has not
  //                                 // answered the previous one is disconnected (0: no pings)
  // bosh: XMPP over BOSH (XEP-0124, XEP-0206) at /http-bind (http_paths name "bosh"), with
  // Prosody's mod_bosh options and defaults:
  //   bosh_max_inactivity: 60,      // seconds without a pending request before a session ends
  //   bosh_max_wait: 120,           // caps the client's "wait" (long-polling time), in seconds
  //   bosh_max_polling: 5,          // the "polling" interval announced to clients, in seconds
  //   consider_bosh_secure: false,  // as consider_websocket_secure, for http:// BOSH
  //   cross_domain_bosh: false,     // CORS for /http-bind only: true (any origin) or a list
  // http_altconnect: XEP-0156 discovery at /.well-known/host-meta (XRD) and
  // /.well-known/host-meta.json, listing the two endpoints above as loaded on the host named by
  // the request's Host header, under the scheme and authority the request used (public, with
  // Access-Control-Allow-Origin: *). No options.
  // Example, behind a TLS-terminating reverse proxy serving https://chat.example.com:
  //   consider_websocket_secure: true,
  //   consider_bosh_secure: true,
  //   cross_domain_websocket: ['https://app.example.com'],
  //   cross_domain_bosh: ['https://app.example.com'],
  //
  // --------------------------------------------------------------------------- End of modules

  hosts: [
    // A host with user accounts: `salon adduser alice@localhost` creates one.
    VirtualHost('localhost', {
      // Host sections accept the per-host options above, e.g.:
      // admins: ['admin@localhost'],
      // allow_registration: true,
      // ssl: { certificate: 'certs/localhost.crt', key: 'certs/localhost.key' },
    }),

    // The multi-user chat service (XEP-0045) for the host above.
    Component('conference.localhost', 'muc', {
      // MUC options go here (see the module options section).
    }),
  ],
});
