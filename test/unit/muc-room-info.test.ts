import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { defaultRoomConfig } from '../../muc/configuration/room-config.js';
import { roomDiscoFeatures, roomDiscoInfo, roomInfoForm } from '../../muc/discovery/room-info.js';
import { MUC_STATUS_CODES, MucStatus, isMucStatusCode, statusElement } from '../../muc/rooms/status-codes.js';
import { NS } from '../../server/xml/ns.js';

function fieldValues(x: Element): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const field of x.getChildren('field', NS.dataForms)) {
    out[String(field.attrs.var)] = field.getChildren('value').map((v) => v.getText());
  }
  return out;
}

const ALWAYS = [
  'http://jabber.org/protocol/muc', 'http://jabber.org/protocol/muc#stable_id', 'urn:xmpp:occupant-id:0',
  'http://jabber.org/protocol/muc#self-ping-optimization', 'http://jabber.org/protocol/muc#request',
];

describe('roomDiscoFeatures (§6.4, §16.3)', () => {
  test('a default room: public, temporary, open, unmoderated, semi-anonymous, unsecured', () => {
    expect(roomDiscoFeatures(defaultRoomConfig()).sort()).toEqual([
      ...ALWAYS, 'muc_public', 'muc_temporary', 'muc_open', 'muc_unmoderated', 'muc_semianonymous', 'muc_unsecured',
    ].sort());
  });

  test('every opposite room type', () => {
    const config = defaultRoomConfig({
      publicroom: false, persistentroom: true, membersonly: true, moderatedroom: true, whois: 'anyone',
      passwordprotectedroom: true, roomsecret: 'cauldronburn',
    });
    expect(roomDiscoFeatures(config).sort()).toEqual([
      ...ALWAYS, 'muc_hidden', 'muc_persistent', 'muc_membersonly', 'muc_moderated', 'muc_nonanonymous',
      'muc_passwordprotected',
    ].sort());
  });

  test('password protection without a password is not advertised', () => {
    const features = roomDiscoFeatures(defaultRoomConfig({ passwordprotectedroom: true, roomsecret: '' }));
    expect(features).toContain('muc_unsecured');
    expect(features).not.toContain('muc_passwordprotected');
  });
});

describe('roomInfoForm (§6.4, §16.5.4)', () => {
  test('a result form with the roominfo FORM_TYPE and the room facts', () => {
    const config = defaultRoomConfig({ roomname: 'A Dark Cave', roomdesc: 'The place for all good witches!', lang: 'en', changesubject: true });
    const form = roomInfoForm(config, { occupants: 3, subject: 'Spells', contactJids: ['crone1@shakespeare.lit'] });
    expect(form.is('x', NS.dataForms)).toBe(true);
    expect(form.attrs.type).toBe('result');
    expect(fieldValues(form)).toEqual({
      FORM_TYPE: ['http://jabber.org/protocol/muc#roominfo'],
      'muc#roomconfig_roomname': ['A Dark Cave'],
      'muc#roominfo_description': ['The place for all good witches!'],
      'muc#roominfo_occupants': ['3'],
      'muc#roomconfig_changesubject': ['1'],
      'muc#roominfo_lang': ['en'],
      'muc#roominfo_subject': ['Spells'],
      'muc#roominfo_contactjid': ['crone1@shakespeare.lit'],
    });
    const hidden = form.getChildByAttr('var', 'FORM_TYPE');
    expect(hidden?.attrs.type).toBe('hidden');
  });

  test('unset language, subject and contacts are left out', () => {
    const values = fieldValues(roomInfoForm(defaultRoomConfig(), { occupants: 0 }));
    expect(Object.keys(values).sort()).toEqual([
      'FORM_TYPE', 'muc#roomconfig_changesubject', 'muc#roomconfig_roomname', 'muc#roominfo_description', 'muc#roominfo_occupants',
    ]);
    expect(values['muc#roominfo_occupants']).toEqual(['0']);
  });
});

describe('roomDiscoInfo', () => {
  test('identity conference/text named after the room, features and the form', () => {
    const query = roomDiscoInfo(defaultRoomConfig({ moderatedroom: true }), { occupants: 1 }, 'coven');
    expect(query.is('query', NS.discoInfo)).toBe(true);
    expect(query.getChild('identity')?.attrs).toMatchObject({ category: 'conference', type: 'text', name: 'coven' });
    const features = query.getChildren('feature').map((f) => f.attrs.var);
    expect(features).toContain('muc_moderated');
    expect(features).toContain(NS.muc);
    expect(query.getChild('x', NS.dataForms)).toBeDefined();
  });

  test('a configured room name wins over the localpart', () => {
    const query = roomDiscoInfo(defaultRoomConfig({ roomname: 'A Dark Cave' }), { occupants: 0 }, 'coven');
    expect(query.getChild('identity')?.attrs.name).toBe('A Dark Cave');
  });
});

describe('status codes (§12, §16.6)', () => {
  test('every registered code has a named constant', () => {
    expect([...MUC_STATUS_CODES]).toEqual([
      100, 101, 102, 103, 104, 110, 170, 171, 172, 173, 174, 201, 210, 301, 303, 307, 321, 322, 332, 333,
    ]);
  });

  test('constants carry their numbers', () => {
    expect(MucStatus.SelfPresence).toBe(110);
    expect(MucStatus.Kicked).toBe(307);
    expect(MucStatus.Banned).toBe(301);
    expect(MucStatus.RoomCreated).toBe(201);
    expect(MucStatus.ConfigurationChanged).toBe(104);
    expect(MucStatus.RemovedByMembersOnly).toBe(322);
  });

  test('recognises codes and builds <status/>', () => {
    expect(isMucStatusCode(307)).toBe(true);
    expect(isMucStatusCode(308)).toBe(false);
    expect(statusElement(MucStatus.SelfPresence).toString()).toBe('<status code="110"/>');
  });
});
