/**
 * What a room tells about itself through service discovery (XEP-0045 §6.4 #disco-roominfo):
 * its identity, its features (room types registered in §16.3) and the `muc#roominfo` extended
 * information form (XEP-0128, fields registered in §16.5.4).
 */
import { Element } from 'ltx';
import { NS } from '../../server/xml/index.js';
import { booleanValue, dataForm, formTypeField, type FieldSpec } from '../configuration/data-form.js';
import { CONFIG_FIELD_VARS } from '../configuration/config-form.js';
import { isNonAnonymous, isPasswordProtected, type RoomConfig } from '../configuration/room-config.js';

/** Protocol features every room supports, whatever its configuration. */
export const ROOM_PROTOCOL_FEATURES: readonly string[] = [
  NS.muc,
  // §7.4: groupchat reflections keep the sender's 'id'.
  NS.mucStable,
  // XEP-0421: occupants get a stable anonymous identifier.
  NS.occupantId,
  // XEP-0410: the room answers pings to an occupant JID itself.
  NS.selfPing,
  // §7.13 / §8.6: voice requests with the muc#request form.
  NS.mucRequest,
];

/**
 * The room's disco#info features: the protocol features plus one of each pair of room types
 * (§6.4; registry §16.3). Password protection is reported only when a password is set.
 */
export function roomDiscoFeatures(config: RoomConfig): string[] {
  return [
    ...ROOM_PROTOCOL_FEATURES,
    config.publicroom ? 'muc_public' : 'muc_hidden',
    config.persistentroom ? 'muc_persistent' : 'muc_temporary',
    config.membersonly ? 'muc_membersonly' : 'muc_open',
    config.moderatedroom ? 'muc_moderated' : 'muc_unmoderated',
    isNonAnonymous(config) ? 'muc_nonanonymous' : 'muc_semianonymous',
    isPasswordProtected(config) ? 'muc_passwordprotected' : 'muc_unsecured',
  ];
}

/** Live facts about the room that are not configuration. */
export interface RoomState {
  /** Current number of occupants. */
  readonly occupants: number;
  /** Current subject; omitted from the form when undefined (§14.4 information leaks). */
  readonly subject?: string;
  /** Contact addresses, normally the owners' bare JIDs (`muc#roominfo_contactjid`). */
  readonly contactJids?: readonly string[];
}

function roomInfoFields(config: RoomConfig, state: RoomState): FieldSpec[] {
  const fields: FieldSpec[] = [
    formTypeField(NS.mucRoomInfo),
    { var: CONFIG_FIELD_VARS.roomname, type: 'text-single', label: 'Natural-Language Room Name', values: [config.roomname] },
    { var: 'muc#roominfo_description', type: 'text-single', label: 'Description', values: [config.roomdesc] },
    { var: 'muc#roominfo_occupants', type: 'text-single', label: 'Number of occupants', values: [String(state.occupants)] },
    {
      var: CONFIG_FIELD_VARS.changesubject, type: 'boolean', label: 'Subject can be modified',
      values: [booleanValue(config.changesubject)],
    },
  ];
  if (config.lang !== '') {
    fields.push({ var: 'muc#roominfo_lang', type: 'text-single', label: 'Language of discussion', values: [config.lang] });
  }
  if (state.subject !== undefined) {
    fields.push({ var: 'muc#roominfo_subject', type: 'text-single', label: 'Current Discussion Topic', values: [state.subject] });
  }
  if (state.contactJids !== undefined && state.contactJids.length > 0) {
    fields.push({ var: 'muc#roominfo_contactjid', type: 'jid-multi', label: 'Contact Addresses', values: state.contactJids });
  }
  return fields;
}

/** The `muc#roominfo` extended disco form: `<x xmlns='jabber:x:data' type='result'/>` (§6.4). */
export function roomInfoForm(config: RoomConfig, state: RoomState): Element {
  return dataForm('result', { fields: roomInfoFields(config, state) });
}

/** The name a room shows: its configured name, else its localpart (Prosody does the same). */
export function roomDisplayName(config: RoomConfig, roomLocal: string): string {
  return config.roomname !== '' ? config.roomname : roomLocal;
}

/**
 * The complete `<query xmlns='http://jabber.org/protocol/disco#info'/>` a room answers with:
 * a `conference/text` identity (§16.2), the features and the room information form.
 */
export function roomDiscoInfo(config: RoomConfig, state: RoomState, roomLocal: string): Element {
  const query = new Element('query', { xmlns: NS.discoInfo });
  query.c('identity', { category: 'conference', type: 'text', name: roomDisplayName(config, roomLocal) });
  for (const feature of roomDiscoFeatures(config)) query.c('feature', { var: feature });
  query.cnode(roomInfoForm(config, state));
  return query;
}
