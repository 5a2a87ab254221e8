/**
 * The room configuration form an owner receives (XEP-0045 §10.1.3 #createroom-reserved, §10.2
 * #roomconfig): a `muc#roomconfig` data form with the room's current options as values.
 */
import type { Element } from 'ltx';
import { NS } from '../../server/xml/index.js';
import { booleanValue, dataForm, formTypeField, type FieldSpec } from './data-form.js';
import {
  DEFAULT_MAX_HISTORY, MAX_USERS_CHOICES, type AllowPm, type BroadcastRole, type RoomConfig, type Whois,
} from './room-config.js';

/** Field names of the `muc#roomconfig` FORM_TYPE (§16.5.3), keyed by `RoomConfig` option. */
export const CONFIG_FIELD_VARS = {
  roomname: 'muc#roomconfig_roomname',
  roomdesc: 'muc#roomconfig_roomdesc',
  lang: 'muc#roomconfig_lang',
  persistentroom: 'muc#roomconfig_persistentroom',
  publicroom: 'muc#roomconfig_publicroom',
  membersonly: 'muc#roomconfig_membersonly',
  moderatedroom: 'muc#roomconfig_moderatedroom',
  passwordprotectedroom: 'muc#roomconfig_passwordprotectedroom',
  roomsecret: 'muc#roomconfig_roomsecret',
  whois: 'muc#roomconfig_whois',
  maxusers: 'muc#roomconfig_maxusers',
  changesubject: 'muc#roomconfig_changesubject',
  allowinvites: 'muc#roomconfig_allowinvites',
  allowpm: 'muc#roomconfig_allowpm',
  // Prosody's name for the history length; §16.5.3 registers `muc#maxhistoryfetch` for it,
  // which a submit may use instead.
  historylength: 'muc#roomconfig_historylength',
  presencebroadcast: 'muc#roomconfig_presencebroadcast',
  // Prosody's muc_mam field (not registered in §16.5.3).
  enablearchiving: 'muc#roomconfig_enablearchiving',
} as const satisfies Record<keyof RoomConfig, string>;

/** The registered alias of `muc#roomconfig_historylength` (§10.1.3 example, §16.5.3). */
export const MAX_HISTORY_FETCH_VAR = 'muc#maxhistoryfetch';

export interface ConfigFormOptions {
  /** The room's JID, named in the form's title. */
  readonly roomJid?: string;
  /** The most history messages a room may keep (Prosody's `max_history_messages`). */
  readonly maxHistory?: number;
  /** Offer `muc#roomconfig_enablearchiving` (room archives are on and owners may choose). */
  readonly archiving?: boolean;
}

const WHOIS_OPTIONS: readonly { value: Whois; label: string }[] = [
  { value: 'moderators', label: 'Moderators Only' },
  { value: 'anyone', label: 'Anyone' },
];

const ALLOW_PM_OPTIONS: readonly { value: AllowPm; label: string }[] = [
  { value: 'anyone', label: 'Anyone' },
  { value: 'participants', label: 'Anyone with Voice' },
  { value: 'moderators', label: 'Moderators Only' },
  { value: 'none', label: 'Nobody' },
];

const BROADCAST_OPTIONS: readonly { value: BroadcastRole; label: string }[] = [
  { value: 'moderator', label: 'Moderator' },
  { value: 'participant', label: 'Participant' },
  { value: 'visitor', label: 'Visitor' },
];

function bool(option: keyof typeof CONFIG_FIELD_VARS, label: string, value: boolean): FieldSpec {
  return { var: CONFIG_FIELD_VARS[option], type: 'boolean', label, values: [booleanValue(value)] };
}

function text(option: keyof typeof CONFIG_FIELD_VARS, label: string, value: string): FieldSpec {
  return { var: CONFIG_FIELD_VARS[option], type: 'text-single', label, values: [value] };
}

/** The occupant limit as a list-single; a current value outside the usual choices stays selectable. */
function maxUsersField(maxusers: number | undefined): FieldSpec {
  const choices = [...MAX_USERS_CHOICES];
  if (maxusers !== undefined && !choices.includes(maxusers)) choices.push(maxusers);
  choices.sort((a, b) => a - b);
  return {
    var: CONFIG_FIELD_VARS.maxusers, type: 'list-single', label: 'Maximum Number of Occupants',
    values: [maxusers === undefined ? 'none' : String(maxusers)],
    options: [...choices.map((n) => ({ value: String(n), label: String(n) })), { value: 'none', label: 'None' }],
  };
}

function historyLabel(maxHistory: number): string {
  return `Maximum Number of History Messages Returned by Room (0–${maxHistory})`;
}

/** The fields of the form, in the order of the XEP's example (§10.1.3). */
function configFields(config: RoomConfig, maxHistory: number, archiving: boolean): FieldSpec[] {
  const fields: FieldSpec[] = [
    formTypeField(NS.mucRoomConfig),
    text('roomname', 'Natural-Language Room Name', config.roomname),
    text('roomdesc', 'Short Description of Room', config.roomdesc),
    text('lang', 'Natural Language for Room Discussions', config.lang),
    bool('changesubject', 'Allow Occupants to Change Subject?', config.changesubject),
    bool('allowinvites', 'Allow Members to Invite Others?', config.allowinvites),
    { var: CONFIG_FIELD_VARS.allowpm, type: 'list-single', label: 'Who Can Send Private Messages?', values: [config.allowpm], options: ALLOW_PM_OPTIONS },
    maxUsersField(config.maxusers),
    {
      var: CONFIG_FIELD_VARS.presencebroadcast, type: 'list-multi', label: 'Roles for which Presence is Broadcasted',
      values: [...config.presencebroadcast], options: BROADCAST_OPTIONS,
    },
    bool('publicroom', 'Make Room Publicly Searchable?', config.publicroom),
    bool('persistentroom', 'Make Room Persistent?', config.persistentroom),
    bool('moderatedroom', 'Make Room Moderated?', config.moderatedroom),
    bool('membersonly', 'Make Room Members-Only?', config.membersonly),
    bool('passwordprotectedroom', 'Password Required to Enter?', config.passwordprotectedroom),
    { type: 'fixed', values: ['If a password is required to enter this room, you must specify the password below.'] },
    { var: CONFIG_FIELD_VARS.roomsecret, type: 'text-private', label: 'Password', values: [config.roomsecret] },
    { var: CONFIG_FIELD_VARS.whois, type: 'list-single', label: 'Who May Discover Real JIDs?', values: [config.whois], options: WHOIS_OPTIONS },
    text('historylength', historyLabel(maxHistory), String(config.historylength)),
  ];
  // Prosody's label for the muc_mam field.
  if (archiving) fields.push(bool('enablearchiving', 'Archive chat on server', config.enablearchiving));
  return fields;
}

/**
 * The `<x xmlns='jabber:x:data' type='form'/>` an owner fills in, placed by the engine inside
 * `<query xmlns='http://jabber.org/protocol/muc#owner'/>`. Current options are the field values
 * (§10.2: "with the current options set as defaults"), including the room password.
 */
export function configForm(config: RoomConfig, options: ConfigFormOptions = {}): Element {
  const maxHistory = options.maxHistory ?? DEFAULT_MAX_HISTORY;
  return dataForm('form', {
    title: options.roomJid === undefined ? 'Room configuration' : `Configuration for ${options.roomJid}`,
    instructions: 'Complete and submit this form to configure the room.',
    fields: configFields(config, maxHistory, options.archiving === true),
  });
}
