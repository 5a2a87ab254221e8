/**
 * Salon example configuration. Copy it to `salon.config.ts` (or point `--config` /
 * `SALON_CONFIG` at it) and edit. Option names are Prosody's, so a `prosody.cfg.lua` ports line
 * by line: `c2s_require_encryption = true` becomes `c2s_require_encryption: true`.
 *
 * An option is looked up on its host, then in the global section, then its default. Every value
 * below is the default: delete what you do not change. `salon check --config FILE` validates the
 * file and prints what would start; `salon check --help` lists every option.
 *
 * Environment variables override the file: SALON_DATA_PATH, SALON_LOG_LEVEL, SALON_C2S_PORT,
 * SALON_C2S_DIRECT_TLS_PORT, SALON_HTTP_PORT, SALON_HTTPS_PORT (a port, "5222,5322", or "off").
 */
import { defineConfig, VirtualHost, Component } from 'salon';

export default defineConfig({
  // ---------------------------------------------------------------- Server-wide (global only)

  // Directory for persistent data (accounts, rosters, rooms, the self-signed certificate),
  // relative to this file (without a config file: to the working directory). `salon check`
  // prints the resolved directory.
  data_path: './data',
  // Minimum level of the log lines on stdout (readable lines on a terminal, JSON lines
  // otherwise): fatal, error, warn, info, debug, trace, silent.
  log_level: 'info',
  // File `salon start` writes its process id to (removed when it stops); `salon reload` reads it
  // to send SIGHUP. Relative to this file; the default is salon.pid in data_path.
  // pidfile: './data/salon.pid',

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
  // Seconds a client stream may stay unauthenticated before it is closed with connection-timeout;
  // the same time again is allowed from authentication to binding a resource (clients bind within
  // a second), so a stream that logs in and never binds is closed too.
  c2s_timeout: 300,
  // Bytes buffered for a slow client before it is disconnected (never buffered without limit).
  c2s_send_queue_limit: 4194304,
  // Bytes a client may have waiting behind a stanza that is still being handled (a roster fetch,
  // a room's join check) before the server stops reading from its connection; reading resumes
  // once half has been handled, so a fast sender is slowed down (TCP back-pressure, a paused
  // WebSocket, a BOSH request that waits), never buffered without bound or disconnected. Normal:
  // a client's login burst is 10–30 stanzas under 20 KiB; 2 MiB holds eight largest stanzas.
  c2s_input_queue_limit: 2097152,
  // Simultaneous client connections (TCP, WebSocket, BOSH together) allowed from one IP address;
  // an IPv4 client counts once whichever listener it reaches (::ffff:a.b.c.d is a.b.c.d), and an
  // IPv6 /64 counts as one address. Normal: a household or office behind one NAT, well under 100.
  c2s_max_connections_per_ip: 100,
  // Simultaneous client connections on the whole server; a new stream beyond it gets the RFC 6120
  // resource-constraint stream error. Normal: a few thousand users with two or three devices
  // each stay well under 10,000; the cap stops a flood from many addresses exhausting the process.
  c2s_max_connections: 10000,
  // Failed logins allowed from one IP address (limit_auth_max) per period in seconds
  // (limit_auth_period), Prosody's mod_limit_auth names; IPv6 addresses count per /64. Only a
  // wrong password or an unknown user counts, never a failed SASL negotiation (a client trying a
  // mechanism or channel-binding type the server lacks), and a successful login from the address
  // clears its count (as ejabberd's mod_fail2ban). So a lockout takes 10 wrong passwords in a row
  // within a minute: people sharing a NAT and a CI runner are not locked out by their own clients,
  // and a password guesser still gets only 10 tries a minute per address.
  limit_auth_period: 60,
  limit_auth_max: 10,

  // Directory of <host>.crt / <host>.key files (or <host>/fullchain.pem and privkey.pem),
  // relative to this file. A host without one uses a self-signed certificate generated on
  // first start in <data_path>/certs/.
  certificates: 'certs',

  // HTTP listener (module "http"; Prosody's names and defaults but the interfaces): one listener
  // serves WebSocket, BOSH, XEP-0156 discovery, /muc_kick, /roster_admin, /health and metrics.
  // Plain HTTP ports and HTTPS ports (host certificates, SNI); [] disables either.
  http_ports: [5280],
  https_ports: [5281],
  // Addresses they listen on: loopback only by default. To reach /muc_kick, /roster_admin or the
  // web transports from another machine, list its address here or use '*' (every interface).
  http_interfaces: ['127.0.0.1', '::1'],
  https_interfaces: ['127.0.0.1', '::1'],
  // The host whose routes answer a request whose Host header names no host (unset: web clients
  // get the first VirtualHost; admin routes get nothing).
  // http_default_host: 'localhost',
  // Relocates routes, by module short name: { websocket: '/ws', bosh: '/bosh', muc_kick: '/kick' }.
  http_paths: {},
  // The base URL clients reach these routes under when a reverse proxy sits in front (used for
  // URLs handed out over XMPP, such as upload slots); unset: the host's name and the first
  // HTTPS listener (else plain HTTP). A proxy's X-Forwarded-Proto/-Host count from trusted_proxies.
  // Requests still reach a host by their Host header: the proxy must pass on the host's name.
  // http_external_url: 'https://upload.example.org/',
  // Largest request body accepted by any route, in bytes. GET, HEAD and OPTIONS bodies are never
  // read, and the admin routes check Authorization before reading theirs.
  http_max_content_size: 10485760,
  // Simultaneous connections per listener; seconds a client has for the request headers, for the
  // whole request, and that an idle keep-alive connection stays open.
  http_max_connections: 1024,
  // Simultaneous HTTP connections from one IP address (IPv6: one /64) over all HTTP listeners;
  // trusted_proxies are exempt. Normal: a browser opens at most 6 connections to a site plus its
  // WebSocket or BOSH pair, so 40 browsers behind one NAT address stay under 256.
  http_max_connections_per_ip: 256,
  http_headers_timeout: 10,
  http_request_timeout: 60,
  http_keepalive_timeout: 5,

  // ------------------------------------------------ Defaults for every host (a host may override)

  // Bare JIDs of the server administrators.
  admins: [],
  // Modules loaded on every host (Prosody's rule: a host's own modules_enabled adds to these,
  // its modules_disabled removes from them). Modules that are always loaded need no entry.
  modules_enabled: [],
  modules_disabled: [],
  // Storage driver for every store, "internal" (JSON files under data_path) or "memory"
  // (nothing kept), or a map store → driver such as { roster: 'memory' }. "postgres" (Prosody's
  // "sql") keeps stores in PostgreSQL and needs the sql option below.
  storage: 'internal',
  // Where the "postgres" driver connects (Prosody's sql option; tables are created at first use):
  //   storage: { archive: 'postgres', muc_log: 'postgres' },
  //   sql: { driver: 'PostgreSQL', database: 'prosody', username: 'prosody', password: 'secret', host: 'localhost', port: 5432 },
  // [Salon] instead of those fields a url, 'postgres://prosody:secret@localhost:5432/prosody'; and
  // pool_size (connections, default 10), query_timeout (seconds a statement may take, default 10).
  // [Salon] How the "internal" driver's message archive (LMDB) reaches the disk: "ordered" syncs
  // each commit before the next (a power loss costs at most the last commit); "background" syncs
  // at most every 50 ms for about twice the 1:1 throughput, and a power loss can lose those 50 ms
  // and damage the archive file. Both keep every acknowledged message if the process is killed.
  archive_sync: 'ordered',
  // Refuse authentication and stanzas on client streams without TLS.
  c2s_require_encryption: true,
  // Offer SASL PLAIN on streams without TLS. Never enable this in production.
  allow_unencrypted_plain_auth: false,
  // PBKDF2 iterations for new SCRAM keys (RFC 7677 §4: at least 4096). Existing accounts keep the
  // count they were made with until their password changes; a login attempt for a name that is
  // not an account is answered with the count most stored accounts carry (and a salt that stays
  // the same across restarts), so changing this does not reveal which accounts exist.
  sasl_iterations: 10000,
  // SASL mechanisms never offered, e.g. ['PLAIN'].
  disable_sasl_mechanisms: [],
  // Let clients create accounts in-band (XEP-0077). Never before TLS when c2s_require_encryption
  // is on (the feature is not offered there; a request gets policy-violation, as in Prosody).
  allow_registration: false,
  // In-band registrations allowed from one IP address (IPv6: one /64) per period in seconds,
  // Prosody's mod_register_limits names: a bucket of 10 that refills one every 6 minutes. Normal
  // use (a household or a small office behind one NAT creating up to 10 accounts within an
  // hour) never reaches it; a script gets 240 accounts a day per address; a class signing up
  // together behind one address needs more. Over it: policy-violation.
  registration_throttle_max: 10,
  registration_throttle_period: 3600,
  // Account backend: "internal_hashed" stores SCRAM keys, never passwords.
  authentication: 'internal_hashed',
  // Explicit certificate for every host, relative to this file (overrides `certificates`):
  // ssl: { certificate: 'certs/example.org.crt', key: 'certs/example.org.key' },
  // [Salon] TLS session tickets let reconnecting clients skip the full handshake; their keys live
  // in memory only and change this often (seconds; a ticket resumes for one to two periods; 0: off).
  tls_ticket_key_rotation: 43200,

  // ------------------------------------------------------------------------------ Module options
  // Modules declare their own options (Prosody names, defaults and bounds in each module).
  // They may be set here for every host, or in a host section. Documented as modules appear:
  //
  // disco (always loaded): extra items listed in the host's disco#items, [jid] or [jid, name].
  disco_items: [],
  // version (XEP-0092): do not reveal the operating system in version replies.
  hide_os_type: false,
  // roster (RFC 6121): most contacts (items plus pending requests) in one roster, and most UTF-8
  // bytes in an item's name or a group name.
  max_roster_size: 1000,
  max_roster_name_length: 1023,
  // Unanswered subscription requests kept for one user until answered (RFC 6121 §3.1.3): of each,
  // only the requester, its status (up to 1024 characters) and nickname are kept. A normal user
  // has a handful; 200 requests with a sentence of status each take about 40 KiB. Past either
  // bound the request is refused (resource-constraint, type wait) and its sender told.
  max_pending_subscriptions: 200,
  max_pending_subscription_bytes: 131072,
  // offline (XEP-0160): most messages, and most bytes of stanzas, kept for one offline user; a
  // message past either is refused (resource-constraint, type wait, as ejabberd). A normal
  // queue is tens of messages of a few KiB (OMEMO included), well under 1 MiB; without the byte
  // bound one queue could hold 100 stanzas of 256 KiB. A queue is an append-only log: keeping a
  // message appends and syncs one record, nothing already kept is rewritten.
  offline_max_messages: 100,
  offline_max_bytes: 1048576,
  // blocklist (XEP-0191): most JIDs in one user's blocklist.
  max_blocklist_size: 1000,
  // mam (XEP-0313 user archives, XEP-0359 stanza ids; loaded on every VirtualHost, turn it off
  // with modules_disabled: ['mam']): chat and normal messages with a body (and encrypted ones,
  // receipts, markers, invitations) are kept in both parties' archives. archive_expires_after:
  // seconds or "1d", "1w", "1m" (months), "1y", or "never"; expired messages are removed every
  // archive_cleanup_interval seconds. default_archive_policy: true (always), false (never) or
  // 'roster' until a user sets their own preferences. A query page holds at most
  // max_archive_query_results messages (20 when the client asks no size).
  archive_expires_after: '1w',
  default_archive_policy: true,
  max_archive_query_results: 50,
  archive_cleanup_interval: 14400,
  // carbons (XEP-0280) has no options. csi_simple (XEP-0352): while a client says it is inactive,
  // presence updates, chat states and other stanzas it need not see at once wait; the next urgent
  // stanza (a message with a body, an iq, a subscription request, an error), <active/> or any
  // stanza from the client sends them, in order. Past csi_queue_size stanzas or csi_queue_bytes
  // bytes the buffer is sent. csi_important_payloads names more message payloads that are urgent:
  //   csi_important_payloads: ['{urn:xmpp:example}ring'],
  csi_queue_size: 256,
  csi_queue_bytes: 1048576,
  // vcard (XEP-0054 vcard-temp, stored; loaded on every VirtualHost, turn it off with
  // modules_disabled: ['vcard']): the largest vCard, avatar included, one user may store, in
  // bytes of XML; a larger one is refused (not-acceptable). The server puts the hash of the
  // stored photo (XEP-0153) in available presence whose client did not include one.
  vcard_max_size: 131072,
  // vcard_legacy (XEP-0398, no options; loaded on every VirtualHost with vcard and pep, turn it
  // off with modules_disabled: ['vcard_legacy']): an avatar published over PEP (XEP-0084)
  // becomes the vCard photo, and a vCard photo is published over PEP, as Prosody converts.
  // private (XEP-0049 private XML storage, such as XEP-0048 bookmarks; loaded on every
  // VirtualHost): most bytes (fragment names and XML) one user may keep; a set past it is refused
  // (resource-constraint). Hundreds of bookmarks take well under 100 KiB.
  private_max_bytes: 1048576,
  // pep (XEP-0163 Personal Eventing Protocol: avatars, OMEMO keys, nicknames; loaded on every
  // VirtualHost, turn it off with modules_disabled: ['pep']): a node keeps its pep_max_items
  // latest items (a client asking pubsub#max_items "max" gets this many). pep_max_bytes_per_user
  // bounds one user's nodes, configurations and items together; a publish past it is refused
  // (resource-constraint). Which resources want notifications is learnt from their XEP-0115
  // entity capabilities, verified with one disco#info query per new ver; pep_caps_cache_size
  // verified vers are remembered.
  pep_max_items: 256,
  pep_max_bytes_per_user: 1048576,
  pep_caps_cache_size: 1000,
  // bookmarks (XEP-0402 bookmarks in the PEP node urn:xmpp:bookmarks:1, with XEP-0411 conversion
  // for XEP-0048 clients using private storage or the storage:bookmarks node; loaded on every
  // VirtualHost, turn it off with modules_disabled: ['bookmarks']): at most pep_max_items rooms.
  // upgrade_legacy_bookmarks moves XEP-0048 bookmarks left in private storage into PEP at login.
  upgrade_legacy_bookmarks: true,
  // uptime (XEP-0012 §5, loaded on every VirtualHost) has no options. lastactivity (XEP-0012 for
  // users; not loaded by default, add it to modules_enabled) has none either: the user's contacts
  // with a subscription from or both learn how long ago the user logged out, and the status text.
  // smacks (XEP-0198 stream management; always loaded): a client that enabled resumption and
  // lost its connection keeps its session (presence, rooms, queued stanzas) this many seconds.
  // Past smacks_max_queue_size unacknowledged stanzas a session ends; an <r/> is sent once more
  // than smacks_max_unacked_stanzas are unacknowledged, and again after smacks_max_ack_delay
  // seconds without an answer. An account keeps at most smacks_max_hibernated_sessions
  // hibernating sessions, and the final counts of smacks_max_old_sessions expired ones.
  smacks_hibernation_time: 600,
  smacks_max_queue_size: 500,
  smacks_max_unacked_stanzas: 0,
  smacks_max_ack_delay: 30,
  smacks_max_hibernated_sessions: 10,
  smacks_max_old_sessions: 10,
  //
  // fixture (global section only): accounts, rooms and rosters created before the server answers,
  // for test suites (`salon fixture --config FILE`, `startServer({ config })`). Keys are checked,
  // with a "did you mean" for a typo. users: { alice: 'secret' } or { 'alice@localhost': … };
  // rooms: names, or { name, config: { membersonly: true }, affiliations: { alice: 'owner' },
  // subject }; rosters: [['alice', 'bob']] or 'all' (every pair of users, subscription "both"):
  //   fixture: { users: { alice: 'secret', bob: 'secret' }, rooms: ['lobby'], rosters: 'all' },
  //
  // muc (XEP-0045 multi-user chat; options of a Component(name, 'muc') host, Prosody's mod_muc names)
  // Who may create rooms: false (anyone), true or 'admin' (server admins only), 'local' (users of
  // the service's parent domain, e.g. localhost for conference.localhost) — admins always may.
  restrict_room_creation: false,
  // Lock a new room (status 201, others get item-not-found) until its owner configures it, and
  // destroy a room still locked after muc_room_lock_timeout seconds.
  muc_room_locking: true,
  muc_room_lock_timeout: 300,
  // The most history messages any room keeps and replays (bounds muc#roomconfig_historylength),
  // and the most bytes they may take together (the oldest go first; a single message larger than
  // that is delivered but not kept). Twenty messages of a few KiB, a busy room's normal history,
  // stay far below 256 KiB.
  max_history_messages: 20,
  muc_max_history_bytes: 262144,
  // What users can make the service keep (every room, with its affiliations, is in memory from
  // start-up on). muc_max_rooms (Prosody's name): rooms of the service, temporary and persistent;
  // a normal service has tens to a few thousand; past it creation gets resource-constraint (wait),
  // as in Prosody. muc_max_rooms_per_user: rooms a user's joins created that still exist (a
  // normal user has fewer than ten; server admins are not counted); past it, policy-violation.
  // muc_max_affiliations: owners, admins, members and outcasts of one room (a normal room lists
  // a few hundred at most); an admin change, invitation or registration past it is
  // policy-violation. Stored rooms are never dropped for a lowered bound.
  muc_max_rooms: 10000,
  muc_max_rooms_per_user: 100,
  muc_max_affiliations: 2000,
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
  // [Salon] Rooms declared as desired state, in the fixture section's shape: created on start and
  // reconciled on every reload (salon reload, SIGHUP): the declared config keys, affiliations and
  // subject are applied; declared rooms are persistent unless their config says otherwise. Rooms
  // the config does not name are left alone, unless muc_rooms_destroy_undeclared is true: then
  // every persistent room it does not name is destroyed.
  //   muc_rooms: ['lobby', { name: 'team', config: { membersonly: true }, affiliations: { alice: 'owner' } }],
  muc_rooms: [],
  muc_rooms_destroy_undeclared: false,
  //
  // muc_mam (room archives, XEP-0313 on room JIDs; loaded with every MUC component as Prosody's
  // example config enables it there; modules_disabled: ['muc_mam'] on the Component turns it off).
  // muc_log_by_default: new rooms archive (muc#roomconfig_enablearchiving, "Archive chat on
  // server"); muc_log_all_rooms: every room archives and owners are not offered the choice;
  // muc_log_expires_after: how long messages are kept ("1w", "30d", "never"); join history is
  // read back from the archive after a restart.
  muc_log_by_default: true,
  muc_log_all_rooms: false,
  muc_log_expires_after: '1w',
  //
  // muc_moderation (Prosody's community module: XEP-0425 moderated message retraction, versions
  // urn:xmpp:message-moderate:1 and :0; no options). A moderator retracts a message by the room's
  // stanza id: occupants are told, the archive and the join history keep a tombstone without the
  // body. Needs muc_mam; loaded with every MUC component; modules_disabled: ['muc_moderation']
  // on the Component turns it off.
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
  //   muc_http_auth_extended: false,              // [Salon] read extended answers (docs/plugins.md):
  //     {"allowed": true, "role": "moderator", "affiliation": "member", "nick": "Alice (support)"}
  //     sets the entry's role, its stored affiliation and its nickname (status 210);
  //     {"allowed": false, "reason": "Your subscription has expired"} shows the reason to the user.
  //     An invalid value in a field that applies refuses the join, as a malformed answer does.
  //
  // http_muc_kick (Prosody's community module: POST /muc_kick on the MUC service's HTTP host, e.g.
  //   curl -H 'Authorization: Basic dXNlcm5hbWU6cGFzc3dvcmQ=' -H 'Host: conference.localhost' \
  //        --data '{"nickname": "Bob", "muc": "snuggery@conference.localhost", "reason": "spam"}' \
  //        http://127.0.0.1:5280/muc_kick
  // kicks the occupant like a moderator would, with the service as actor; 200 with an empty body,
  // otherwise a JSON {"error": "…"}). The one option is required: without a usable value start-up
  // stops naming it (salon check: exit 2), as for muc_http_auth_url. Ten wrong Authorization values from
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
  //                                                            // (unset: http://localhost/%s, with a warning)
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
  // encrypted, and so are ws:// ones received on a secure_interfaces address (loopback by
  // default: ws://localhost:5280 works for development); other ws:// ones count as encrypted
  // only with consider_websocket_secure (TLS ended by a proxy in front of Salon) — only then are
  // SASL and stanzas allowed under c2s_require_encryption.
  //   consider_websocket_secure: false,
  // Pages of other origins allowed to connect (HTTP 403 otherwise): true (any, the default, as
  // in Prosody, ejabberd and Openfire: the stream authenticates with SASL, never with cookies),
  // false (none), or a list of origins. A page of the server's own origin, and clients that send
  // no Origin header (native clients), may always connect.
  //   cross_domain_websocket: true,
  //   websocket_ping_interval: 60,  // [Salon] seconds between WebSocket pings; a peer that has not
  //                                 // answered the previous one is disconnected (0: no pings)
  // bosh: XMPP over BOSH (XEP-0124, XEP-0206) at /http-bind (http_paths name "bosh"), with
  // Prosody's mod_bosh options and defaults:
  //   bosh_max_inactivity: 60,      // seconds without a pending request before a session ends
  //   bosh_max_wait: 120,           // caps the client's "wait" (long-polling time), in seconds
  //   bosh_max_polling: 5,          // the "polling" interval announced to clients, in seconds
  //   consider_bosh_secure: false,  // as consider_websocket_secure, for http:// BOSH
  //   cross_domain_bosh: true,      // CORS for /http-bind only: true (any origin), false, or a list
  // WebSocket and BOSH answer a Host header naming no host (ws://127.0.0.1:5280/xmpp-websocket)
  // from http_default_host, else from the first VirtualHost; /muc_kick and /roster_admin do not.
  // Global HTTP options for web clients (Prosody's names and defaults):
  //   secure_interfaces: ['127.0.0.1', '::1'],  // local addresses where plain HTTP counts as encrypted
  //   trusted_proxies: ['127.0.0.1', '::1'],    // proxies whose X-Forwarded-For names the client
  //                                             // address that per-address limits count (IPs or CIDR)
  // http_altconnect: XEP-0156 discovery at /.well-known/host-meta (XRD) and
  // /.well-known/host-meta.json, listing the two endpoints above as loaded on the host named by
  // the request's Host header, under the scheme and authority the request used (public, with
  // Access-Control-Allow-Origin: *); behind one of trusted_proxies, under the scheme and host the
  // proxy reports (X-Forwarded-Proto / X-Forwarded-Host, or Forwarded: proto=…;host=…), so a
  // TLS-terminating proxy gets wss:// and https:// links. No options.
  // Example, behind a TLS-terminating reverse proxy on another machine (10.0.0.5) serving
  // https://chat.example.com, with web clients restricted to one site:
  //   consider_websocket_secure: true,
  //   consider_bosh_secure: true,
  //   trusted_proxies: ['10.0.0.5'],
  //   cross_domain_websocket: ['https://app.example.com'],
  //   cross_domain_bosh: ['https://app.example.com'],
  //
  // http_openmetrics (Prosody 0.12's module name): Prometheus metrics at GET /metrics on the HTTP
  // listener (http_paths name "metrics"), text format 0.0.4: connections and sessions by
  // transport, stanzas by kind, router errors, SASL successes, failures and lockouts, rooms and
  // occupants, outbound HTTP latency per plugin, webhook queues, process memory and event-loop
  // delay. Enable it globally: modules_enabled: ['http_openmetrics']. Who may read it:
  //   openmetrics_allow_ips: ['::1', '127.0.0.1'],  // addresses allowed without a token
  //   openmetrics_allow_cidr: '10.0.0.0/8',         // a network allowed without a token (unset: none)
  //   openmetrics_token: 'sha256:…',                // [Salon] SHA-256 digest of a bearer token that
  //                                                 // any address may present (unset: none)
  // Every other request gets 403. Every metric, and a Prometheus scrape config: docs/metrics.md.
  //
  // http_webhooks ([Salon]; Prosody has no webhook module): signed POSTs to your backend when
  // rooms are created, destroyed or configured, occupants join, leave or change role, affiliations
  // change, messages are posted (opt-in) and accounts go online or offline. Standard Webhooks 1.0:
  // headers webhook-id, webhook-timestamp, webhook-signature ("v1,<base64 HMAC-SHA256>"), body
  // {"type": "occupant.joined", "timestamp": "…", "data": {…}}. Load it per host: on a VirtualHost
  // it reports user.online/user.offline, on a MUC service its rooms' events; globally, both.
  //   modules_enabled: ['http_webhooks'],
  //   http_webhooks: [                              // [Salon] endpoints (none: nothing is sent); each
  //     { url: 'https://app.example.com/xmpp-events', secret: process.env.WEBHOOK_SECRET },
  //   ],                                            // secret: whsec_ + base64 of 24 to 64 random bytes;
  //   // an entry may add events: ['occupant.joined', …] (default: every type) and
  //   // rooms: ['support@conference.example.com'] (default: every room).
  //   http_webhooks_messages: false,                // [Salon] message.posted: true, or a list of room JIDs
  //   http_webhooks_queue_size: 10000,              // [Salon] deliveries in memory per host; more wait in storage
  //   http_webhooks_timeout: 15,                    // [Salon] seconds per attempt
  //   http_webhooks_retry_for: 3600,                // [Salon] seconds of retries after the event; then a dead letter
  //   http_webhooks_retry_base: 2,                  // [Salon] first retry within 2 s, each later ceiling doubled
  //   http_webhooks_retry_max_delay: 600,           // [Salon] ... up to 10 minutes (full jitter below the ceiling)
  //   http_webhooks_max_in_flight: 16,              // [Salon] concurrent requests per endpoint and host
  //   http_webhooks_dead_letters: 1000,             // [Salon] most recent dead letters kept for inspection
  // A 2xx acknowledges; a 4xx other than 408/429 gives up at once (dead letter, logged at warn).
  // Order is not guaranteed: use the payload's timestamp, and deduplicate on webhook-id.
  // Events, payloads, verification and retries: docs/webhooks.md.
  //
  // http_file_share (XEP-0363 HTTP File Upload; options of a Component(name, 'http_file_share')
  // host, Prosody 0.12's mod_http_file_share names and defaults). Users of this server's
  // VirtualHosts ask the component for a slot and PUT the file to /file_share/<slot>/<name>
  // (http_paths name "file_share") with the signed Authorization header the slot carries, valid
  // 10 minutes. Files stream to <data_path>/http_file_share/<host>/ (never held in memory) and are
  // served with their declared type, nosniff, a script-free Content-Security-Policy and a year of
  // immutable caching; types outside the safe list download as attachments.
  //   http_file_share_size_limit: 10485760,         // bytes per file (over it: <file-too-large/>)
  //   http_file_share_allowed_file_types: [],       // e.g. ['image/*', 'application/pdf']; [] any
  //   http_file_share_safe_file_types: ['image/*', 'video/*', 'audio/*', 'text/plain'],
  //   http_file_share_expires_after: '1w',          // then removed; "never" keeps files
  //   http_file_share_daily_quota: 104857600,       // bytes per user per 24 h (default 10 x size limit)
  //   http_file_share_global_quota: 10737418240,    // bytes stored in all (default unlimited)
  //   http_file_share_access: [],                   // other JIDs or domains allowed to upload
  //   http_file_share_secret: '…',                  // signing key (default random at each start)
  //
  // http_admin_api ([Salon]; Prosody's community mod_http_admin_api covers users only): a REST API
  // under /admin on a VirtualHost's HTTP routes (http_paths name "admin"): users and their
  // sessions, rosters, rooms, occupants, affiliations, messages, server status. JSON in and out,
  // errors {"error": {"code", "message"}}, OpenAPI 3.1 at GET /admin/openapi.json. Bearer tokens,
  // stored as SHA-256 digests; `salon admin-token NAME --scopes users:read,rooms:write` prints a
  // new token and its entry. Serve it over HTTPS or on loopback (a warning is logged otherwise).
  // Every endpoint, scope and error code: docs/admin-api.md.
  //   modules_enabled: ['http_admin_api'],
  //   http_admin_api_tokens: [                      // [Salon] (none: every request gets 401)
  //     { name: 'backend', hash: 'sha256:…', scopes: ['users:read', 'users:write', 'rooms:read', 'rooms:write'] },
  //   ],                                            // scopes: users:read users:write rooms:read rooms:write
  //                                                 // messages:write rosters:read rosters:write server:read
  //   http_admin_api_max_body: 1048576,             // [Salon] largest request body in bytes (413 above)
  //
  // --------------------------------------------------------------------------- End of modules

  hosts: [
    // A host with user accounts: `salon adduser alice@localhost` creates one.
    VirtualHost('localhost', {
      // Host sections accept the per-host options above, e.g.:
      // admins: ['admin@localhost'],
      // allow_registration: true,
      // ssl: { certificate: 'certs/localhost.crt', key: 'certs/localhost.key' },
      // The name (Host header) under which this host's HTTP routes answer, when not its own:
      // http_host: 'chat.example.org',
    }),

    // The multi-user chat service (XEP-0045) for the host above.
    Component('conference.localhost', 'muc', {
      // MUC options go here (see the module options section).
    }),

    // HTTP File Upload (XEP-0363) for the host above (see http_file_share in the module section).
    // Component('upload.localhost', 'http_file_share'),
  ],
});
