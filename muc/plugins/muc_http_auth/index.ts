/**
 * `muc_http_auth` (spec §1): before a session enters a room, takes a new nickname there, or
 * (optionally) registers with it, an external HTTP service is asked whether this user may do so
 * with this nickname; anything but a clear yes refuses with `auth`/`not-authorized`. The check is
 * an extra gate run by the engine after the nickname syntax checks and before bans, members-only,
 * passwords and locks, never an override of them. Enabled on a MUC service with `modules_enabled`.
 *
 * With `muc_http_auth_extended` (docs/plugins.md, "Extensions to the plugin contract") an allow
 * may grant the nickname, role and affiliation of the entry, passed to the engine through the
 * event's `grant`, and a refusal may carry the reason the user reads in the error's `<text/>`.
 */
import { mucServiceKey, validateNickname, type OccupantPreJoinEvent, type RegisterPreEvent } from '../../index.js';
import { StanzaError } from '../../../server/errors/index.js';
import { Priority } from '../../../server/hooks/index.js';
import type { Logger } from '../../../server/log/index.js';
import { defineModule, type ModuleContext } from '../../../server/modules/index.js';
import { outboundHttpKey, parseHttpUrl } from '../../../server/net/index.js';
import { createAuthorizer, type Authorizer } from './authorizer.js';
import {
  mucHttpAuthOptionShape, mucHttpAuthWarnings, validateMucHttpAuthOptions, type MucHttpAuthOptions,
} from './options.js';
import type { AnswerGrant } from './extended-answer.js';
import type { AuthorizationQuery } from './request-url.js';
import { parseRoomSelection, type RoomSelection } from './room-selection.js';

/** A fixed sentence: the service's own `error` text is for the log only (spec §1.6). */
const JOIN_REFUSED = 'Not authorized to join this room';
const REGISTRATION_REFUSED = 'Not authorized to register with this room';

/** The decision on one question: the refusal to answer with, or what the allow grants. */
type Decision = { readonly refusal: StanzaError } | { readonly grant: AnswerGrant };

type Decide = (query: AuthorizationQuery, refusalText: string) => Promise<Decision>;

/** Asks, logs the outcome, and turns anything but an allow into the refusal. */
function decider(authorize: Authorizer, service: string, logger: Logger): Decide {
  return async (query, refusalText) => {
    const verdict = await authorize(query);
    if (verdict.kind === 'allowed') return { grant: verdict.grant };
    const fields = { user: query.userJid, room: query.mucJid, nick: query.nickname };
    if (verdict.kind === 'refused') logger.info({ ...fields, error: verdict.error }, 'MUC authorization service refused');
    else logger.warn({ ...fields, problem: verdict.problem }, 'MUC authorization service failed; refusing');
    // The service's `reason` (extended answers) is written for the user; its `error` never is.
    const text = verdict.kind === 'refused' && verdict.reason !== undefined ? verdict.reason : refusalText;
    return { refusal: StanzaError.auth('not-authorized', { text, by: service }) };
  };
}

function onJoin(selection: RoomSelection, decide: Decide) {
  // Spec §1.4: every new session and every nickname change is checked; `kind` says which it is.
  return async ({ room, occupant, grant }: OccupantPreJoinEvent) => {
    if (!selection.isChecked(occupant.bareJid.domain, room.jid.local)) return undefined;
    const decision = await decide({ userJid: occupant.bareJid.toString(), mucJid: room.jid.toString(), nickname: occupant.nick }, JOIN_REFUSED);
    if ('refusal' in decision) return decision.refusal;
    // The engine applies these within XEP-0045's rules (muc/joining/join-grant.ts).
    Object.assign(grant, decision.grant);
    return undefined;
  };
}

function onRegister(selection: RoomSelection, decide: Decide) {
  return async ({ room, user, nick }: RegisterPreEvent) => {
    const bare = user.bare();
    if (!selection.isChecked(bare.domain, room.jid.local)) return undefined;
    // The nickname as a join would use it; a form the MUC will refuse anyway is sent as given.
    const prepared = nick === '' ? undefined : validateNickname(nick);
    const nickname = prepared?.ok === true ? prepared.value : nick;
    // A registration enters nobody: only the decision (and a refusal's reason) applies.
    const decision = await decide({ userJid: bare.toString(), mucJid: room.jid.toString(), nickname }, REGISTRATION_REFUSED);
    return 'refusal' in decision ? decision.refusal : undefined;
  };
}

/** The MUC service's `muc_hook_deadline` in seconds; undefined while no MUC service is on the host. */
function hookDeadlineOf(ctx: ModuleContext<MucHttpAuthOptions>): number | undefined {
  const muc = ctx.service(mucServiceKey);
  return muc === undefined ? undefined : muc.hookDeadlineMs / 1000;
}

/**
 * Logs the §1.7 warnings. A MUC service loaded after this module (both in the global
 * `modules_enabled`) is not known yet: the warnings that need its deadline follow at first use.
 */
function warnAboutOptions(ctx: ModuleContext<MucHttpAuthOptions>): () => void {
  const known = hookDeadlineOf(ctx);
  const early = mucHttpAuthWarnings(ctx.options, known);
  for (const warning of early) ctx.logger.warn(warning);
  let pending = known === undefined;
  return () => {
    const deadline = pending ? hookDeadlineOf(ctx) : undefined;
    if (deadline === undefined) return;
    pending = false;
    for (const warning of mucHttpAuthWarnings(ctx.options, deadline)) if (!early.includes(warning)) ctx.logger.warn(warning);
  };
}

function load(ctx: ModuleContext<MucHttpAuthOptions>): void {
  const options = ctx.options;
  const url = parseHttpUrl(options.muc_http_auth_url);
  const selection = parseRoomSelection(options.muc_http_auth_enabled_for, options.muc_http_auth_disabled_for);
  const http = ctx.service(outboundHttpKey);
  // `validate` ran before start-up; reaching this means the module was loaded around it (a bug).
  if (url === undefined || !selection.ok || http === undefined) throw new Error('muc_http_auth loaded with options that did not validate');
  const warnLate = warnAboutOptions(ctx);
  if (ctx.host.componentType !== 'muc') ctx.logger.warn(`muc_http_auth is enabled on ${ctx.host.name}, which is not a MUC service: it checks nothing there`);
  const authorize = createAuthorizer(http, {
    url,
    authorization: options.muc_http_auth_authorization_header,
    timeoutMs: options.muc_http_auth_timeout * 1000,
    insecure: options.muc_http_auth_insecure,
    extended: options.muc_http_auth_extended,
  });
  const ask = decider(authorize, ctx.host.name, ctx.logger);
  const decide: Decide = (query, refusalText) => {
    warnLate();
    return ask(query, refusalText);
  };
  ctx.hook('muc-occupant-pre-join', onJoin(selection.value, decide), Priority.Policy);
  if (options.muc_http_auth_authorize_registration) ctx.hook('muc-register-pre', onRegister(selection.value, decide), Priority.Policy);
  ctx.logger.info({
    url: `${url.origin}${url.pathname}`, rooms: selection.value.mode, registration: options.muc_http_auth_authorize_registration,
    extended: options.muc_http_auth_extended,
  }, 'MUC joins are authorized over HTTP');
}

/** The `muc_http_auth` module definition, listed in the composition root's module catalog. */
export const mucHttpAuthModule = defineModule({
  name: 'muc_http_auth',
  description: 'Authorizes MUC joins, nickname changes and registrations with an external HTTP service',
  hostKinds: ['component'],
  options: mucHttpAuthOptionShape,
  validate: validateMucHttpAuthOptions,
  load,
});
