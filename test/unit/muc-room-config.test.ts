import { describe, expect, test } from '@jest/globals';
import { Element, parse } from 'ltx';
import type { RoomConfig } from '../../muc/index.js';
import { configForm } from '../../muc/configuration/config-form.js';
import { applyConfigSubmit } from '../../muc/configuration/config-submit.js';
import { DEFAULT_ROOM_CONFIG, REDACTED, configChangeStatusCodes, defaultRoomConfig } from '../../muc/configuration/room-config.js';
import { NS } from '../../server/xml/ns.js';

const ROOMCONFIG = 'http://jabber.org/protocol/muc#roomconfig';

/** The fields of a form by var: type, values and option values. */
function describeForm(x: Element): Map<string, { type: unknown; label: unknown; values: string[]; options: string[] }> {
  const fields = new Map<string, { type: unknown; label: unknown; values: string[]; options: string[] }>();
  for (const field of x.getChildren('field', NS.dataForms)) {
    if (typeof field.attrs.var !== 'string') continue;
    fields.set(field.attrs.var, {
      type: field.attrs.type,
      label: field.attrs.label,
      values: field.getChildren('value').map((v) => v.getText()),
      options: field.getChildren('option').map((o) => o.getChildText('value') ?? ''),
    });
  }
  return fields;
}

/**
 * What a client does with a form: echo every field with a var (fixed fields have none), replacing
 * the values it was told to change, and send it back as type='submit' without types or labels.
 */
function fillIn(form: Element, changes: Record<string, string[]> = {}): Element {
  const submit = new Element('x', { xmlns: NS.dataForms, type: 'submit' });
  for (const field of form.getChildren('field', NS.dataForms)) {
    const name = field.attrs.var;
    if (typeof name !== 'string') continue;
    const values = changes[name] ?? field.getChildren('value').map((v) => v.getText());
    const out = submit.c('field', { var: name });
    for (const value of values) out.c('value').t(value);
  }
  return submit;
}

function submitResult(current: RoomConfig, x: Element, options = {}) {
  const result = applyConfigSubmit(current, x, options);
  if (!result.ok) throw new Error(`unexpected ${result.error.condition}: ${result.error.text ?? ''}`);
  return result.value;
}

function errorOf(current: RoomConfig, x: Element, options = {}): string {
  const result = applyConfigSubmit(current, x, options);
  return result.ok ? 'ok' : `${result.error.type}/${result.error.condition}`;
}

describe('defaults (Prosody)', () => {
  test('a new room has Prosody\'s configuration', () => {
    expect(defaultRoomConfig()).toEqual({
      roomname: '', roomdesc: '', lang: '', persistentroom: false, publicroom: true, membersonly: false,
      moderatedroom: false, passwordprotectedroom: false, roomsecret: '', whois: 'moderators',
      maxusers: undefined, changesubject: false, allowinvites: false, allowpm: 'anyone', historylength: 20,
      presencebroadcast: ['moderator', 'participant', 'visitor'],
      // mod_muc_mam's muc_log_by_default.
      enablearchiving: true,
    });
  });

  test('overrides apply and never alias the shared defaults', () => {
    const config = defaultRoomConfig({ persistentroom: true });
    expect(config.persistentroom).toBe(true);
    expect(config.presencebroadcast).not.toBe(DEFAULT_ROOM_CONFIG.presencebroadcast);
  });
});

describe('configForm (§10.1.3, §10.2)', () => {
  const form = configForm(defaultRoomConfig({ roomsecret: 'cauldronburn' }), { roomJid: 'coven@chat.example' });
  const fields = describeForm(form);

  test('is a jabber:x:data form of type form with the roomconfig FORM_TYPE', () => {
    expect(form.is('x', NS.dataForms)).toBe(true);
    expect(form.attrs.type).toBe('form');
    expect(form.getChildText('title')).toContain('coven@chat.example');
    expect(fields.get('FORM_TYPE')).toMatchObject({ type: 'hidden', values: [ROOMCONFIG] });
  });

  test.each([
    ['muc#roomconfig_roomname', 'text-single', ['']],
    ['muc#roomconfig_roomdesc', 'text-single', ['']],
    ['muc#roomconfig_lang', 'text-single', ['']],
    ['muc#roomconfig_persistentroom', 'boolean', ['0']],
    ['muc#roomconfig_publicroom', 'boolean', ['1']],
    ['muc#roomconfig_membersonly', 'boolean', ['0']],
    ['muc#roomconfig_moderatedroom', 'boolean', ['0']],
    ['muc#roomconfig_passwordprotectedroom', 'boolean', ['0']],
    ['muc#roomconfig_roomsecret', 'text-private', ['cauldronburn']],
    ['muc#roomconfig_whois', 'list-single', ['moderators']],
    ['muc#roomconfig_maxusers', 'list-single', ['none']],
    ['muc#roomconfig_changesubject', 'boolean', ['0']],
    ['muc#roomconfig_allowinvites', 'boolean', ['0']],
    ['muc#roomconfig_allowpm', 'list-single', ['anyone']],
    ['muc#roomconfig_historylength', 'text-single', ['20']],
    ['muc#roomconfig_presencebroadcast', 'list-multi', ['moderator', 'participant', 'visitor']],
  ])('%s is a labelled %s with the current value', (name, type, values) => {
    const field = fields.get(name);
    expect(field).toMatchObject({ type, values });
    expect(typeof field?.label).toBe('string');
  });

  test('list fields offer their options', () => {
    expect(fields.get('muc#roomconfig_whois')?.options).toEqual(['moderators', 'anyone']);
    expect(fields.get('muc#roomconfig_allowpm')?.options).toEqual(['anyone', 'participants', 'moderators', 'none']);
    expect(fields.get('muc#roomconfig_maxusers')?.options).toEqual(['10', '20', '30', '50', '100', 'none']);
    expect(fields.get('muc#roomconfig_presencebroadcast')?.options).toEqual(['moderator', 'participant', 'visitor']);
  });

  test('an unusual occupant limit stays selectable', () => {
    const custom = describeForm(configForm(defaultRoomConfig({ maxusers: 25 })));
    expect(custom.get('muc#roomconfig_maxusers')).toMatchObject({ values: ['25'], options: ['10', '20', '25', '30', '50', '100', 'none'] });
  });

  test('contains a fixed instruction field without var', () => {
    expect(form.getChildren('field').some((f) => f.attrs.type === 'fixed' && f.attrs.var === undefined)).toBe(true);
  });
});

describe('applyConfigSubmit: round trips', () => {
  test('submitting the form unchanged changes nothing', () => {
    const current = defaultRoomConfig({ roomname: 'Cave', maxusers: 30 });
    const result = submitResult(current, fillIn(configForm(current)));
    expect(result.outcome).toBe('submit');
    expect(result.config).toEqual(current);
    expect(result.changes).toEqual([]);
    expect(configChangeStatusCodes(result.changes)).toEqual([]);
  });

  test('a client fills in the form like §10.1.3 example 163', () => {
    const current = defaultRoomConfig();
    const submit = fillIn(configForm(current), {
      'muc#roomconfig_roomname': ['A Dark Cave'],
      'muc#roomconfig_roomdesc': ['The place for all good witches!'],
      'muc#roomconfig_changesubject': ['1'],
      'muc#roomconfig_maxusers': ['10'],
      'muc#roomconfig_publicroom': ['0'],
      'muc#roomconfig_persistentroom': ['true'],
      'muc#roomconfig_passwordprotectedroom': ['1'],
      'muc#roomconfig_roomsecret': ['cauldronburn'],
      'muc#roomconfig_whois': ['anyone'],
      'muc#roomconfig_allowpm': ['participants'],
      'muc#roomconfig_historylength': ['5'],
      'muc#roomconfig_presencebroadcast': ['moderator', 'participant'],
      'muc#roomconfig_lang': ['en-GB'],
    });
    const { config, changes } = submitResult(current, submit);
    expect(config).toEqual({
      ...current, roomname: 'A Dark Cave', roomdesc: 'The place for all good witches!', changesubject: true,
      maxusers: 10, publicroom: false, persistentroom: true, passwordprotectedroom: true, roomsecret: 'cauldronburn',
      whois: 'anyone', allowpm: 'participants', historylength: 5, presencebroadcast: ['moderator', 'participant'],
      lang: 'en-GB',
    });
    expect(changes.map((c) => c.field).sort()).toEqual([
      'allowpm', 'changesubject', 'historylength', 'lang', 'maxusers', 'passwordprotectedroom', 'persistentroom',
      'presencebroadcast', 'publicroom', 'roomdesc', 'roomname', 'roomsecret', 'whois',
    ]);
    expect(changes.find((c) => c.field === 'roomsecret')).toEqual({ field: 'roomsecret', from: REDACTED, to: REDACTED });
    expect(changes.find((c) => c.field === 'maxusers')).toEqual({ field: 'maxusers', from: undefined, to: 10 });
    // §10.2.1: now non-anonymous (172) plus other changes (104).
    expect(configChangeStatusCodes(changes)).toEqual([172, 104]);
  });

  test('the submitted form does not alter the current configuration object', () => {
    const current = defaultRoomConfig();
    submitResult(current, fillIn(configForm(current), { 'muc#roomconfig_presencebroadcast': [] }));
    expect(current.presencebroadcast).toEqual(['moderator', 'participant', 'visitor']);
  });

  test('maxusers "none" makes the room unlimited again; an empty list-multi broadcasts to nobody', () => {
    const current = defaultRoomConfig({ maxusers: 50 });
    const { config } = submitResult(current, fillIn(configForm(current), {
      'muc#roomconfig_maxusers': ['none'], 'muc#roomconfig_presencebroadcast': [],
    }));
    expect(config.maxusers).toBeUndefined();
    expect(config.presencebroadcast).toEqual([]);
  });

  test('only whois changing back to moderators is status 173 alone', () => {
    const current = defaultRoomConfig({ whois: 'anyone' });
    const { changes } = submitResult(current, fillIn(configForm(current), { 'muc#roomconfig_whois': ['moderators'] }));
    expect(configChangeStatusCodes(changes)).toEqual([173]);
  });

  test('a partial form changes only what it contains', () => {
    const current = defaultRoomConfig({ roomname: 'Keep me' });
    const submit = parse(`<x xmlns='jabber:x:data' type='submit'>
      <field var='FORM_TYPE'><value>${ROOMCONFIG}</value></field>
      <field var='muc#roomconfig_moderatedroom'><value>1</value></field>
    </x>`);
    const { config, changes } = submitResult(current, submit);
    expect(config).toEqual({ ...current, moderatedroom: true });
    expect(changes).toEqual([{ field: 'moderatedroom', from: false, to: true }]);
    expect(configChangeStatusCodes(changes)).toEqual([104]);
  });

  test('the registered muc#maxhistoryfetch field sets the history length', () => {
    const submit = parse(`<x xmlns='jabber:x:data' type='submit'>
      <field var='FORM_TYPE'><value>${ROOMCONFIG}</value></field>
      <field var='muc#maxhistoryfetch'><value>7</value></field>
    </x>`);
    expect(submitResult(defaultRoomConfig(), submit).config.historylength).toBe(7);
  });

  test('unknown fields are ignored', () => {
    const current = defaultRoomConfig();
    const submit = fillIn(configForm(current), {});
    submit.c('field', { var: 'muc#roomconfig_enablelogging' }).c('value').t('1');
    submit.c('field', { var: '{xmpp:prosody.im}muc#roomconfig_display_media' }).c('value').t('banana');
    expect(submitResult(current, submit).changes).toEqual([]);
  });

  test('fields without var and fixed fields are skipped (XEP-0004 §3.2; slixmpp echoes them)', () => {
    // slixmpp turns the received form into a submission by dropping types and labels only: the
    // fixed instruction field comes back without var, type or label.
    const current = defaultRoomConfig({ roomdesc: 'Old' });
    const submit = fillIn(configForm(current), { 'muc#roomconfig_roomname': ['Echoed'] });
    submit.c('field').c('value').t('Configure the room');
    submit.c('field', { type: 'fixed' }).c('value').t('another label');
    submit.c('field', { var: 'muc#roomconfig_roomdesc', type: 'fixed' }).c('value').t('not a value to apply');
    const result = submitResult(current, submit);
    expect(result.config.roomname).toBe('Echoed');
    expect(result.config.roomdesc).toBe('Old');
    expect(result.changes).toHaveLength(1);
  });

  test('a form carrying only the password protects the room (Prosody style)', () => {
    const submit = parse(`<x xmlns='jabber:x:data' type='submit'>
      <field var='FORM_TYPE'><value>${ROOMCONFIG}</value></field>
      <field var='muc#roomconfig_roomsecret'><value>secret</value></field>
    </x>`);
    const { config } = submitResult(defaultRoomConfig(), submit);
    expect(config).toMatchObject({ passwordprotectedroom: true, roomsecret: 'secret' });
  });

  test('clearing only the password unprotects the room', () => {
    const current = defaultRoomConfig({ passwordprotectedroom: true, roomsecret: 'secret' });
    const submit = parse(`<x xmlns='jabber:x:data' type='submit'>
      <field var='FORM_TYPE'><value>${ROOMCONFIG}</value></field>
      <field var='muc#roomconfig_roomsecret'><value></value></field>
    </x>`);
    expect(submitResult(current, submit).config).toMatchObject({ passwordprotectedroom: false, roomsecret: '' });
  });
});

describe('applyConfigSubmit: cancel and instant room', () => {
  const current = defaultRoomConfig({ roomname: 'Unchanged' });

  test('§10.1.2: an empty submit form accepts the current configuration', () => {
    const result = submitResult(current, parse(`<x xmlns='jabber:x:data' type='submit'/>`));
    expect(result).toEqual({ outcome: 'instant', config: current, changes: [] });
  });

  test('§10.1.3 / §10.2: a cancel form leaves the configuration as it was', () => {
    const result = submitResult(current, parse(`<x xmlns='jabber:x:data' type='cancel'/>`));
    expect(result).toEqual({ outcome: 'cancel', config: current, changes: [] });
  });

  test('a cancel form with fields is still a cancel', () => {
    const cancel = fillIn(configForm(current), { 'muc#roomconfig_roomname': ['Changed'] });
    cancel.attrs.type = 'cancel';
    expect(submitResult(current, cancel).outcome).toBe('cancel');
  });
});

describe('applyConfigSubmit: errors', () => {
  const current = defaultRoomConfig();
  const withField = (name: string, ...values: string[]) => {
    const submit = fillIn(configForm(current), { [name]: values });
    return errorOf(current, submit, { maxHistory: 50, maxUsersLimit: 200 });
  };

  test.each([
    ['a non-boolean boolean', 'muc#roomconfig_persistentroom', ['yes']],
    ['a boolean with two values', 'muc#roomconfig_publicroom', ['1', '0']],
    ['an unknown whois option', 'muc#roomconfig_whois', ['none']],
    ['an unknown allowpm option', 'muc#roomconfig_allowpm', ['everyone']],
    ['a list-single without value', 'muc#roomconfig_allowpm', []],
    ['a non-numeric maxusers', 'muc#roomconfig_maxusers', ['lots']],
    ['maxusers zero', 'muc#roomconfig_maxusers', ['0']],
    ['maxusers above the limit', 'muc#roomconfig_maxusers', ['201']],
    ['a negative maxusers', 'muc#roomconfig_maxusers', ['-5']],
    ['a fractional history length', 'muc#roomconfig_historylength', ['2.5']],
    ['a history length above max_history_messages', 'muc#roomconfig_historylength', ['51']],
    ['an unknown role to broadcast', 'muc#roomconfig_presencebroadcast', ['moderator', 'none']],
    ['a text-single with two values', 'muc#roomconfig_roomname', ['a', 'b']],
    ['a malformed language tag', 'muc#roomconfig_lang', ['english please']],
  ])('%s is modify/not-acceptable', (_name, field, values) => {
    expect(withField(field, ...values)).toBe('modify/not-acceptable');
  });

  test('limits at their bounds are accepted', () => {
    expect(withField('muc#roomconfig_maxusers', '200')).toBe('ok');
    expect(withField('muc#roomconfig_historylength', '50')).toBe('ok');
    expect(withField('muc#roomconfig_historylength', '0')).toBe('ok');
  });

  test('the history length is bounded by the default max_history_messages (20)', () => {
    const submit = fillIn(configForm(current), { 'muc#roomconfig_historylength': ['21'] });
    expect(errorOf(current, submit)).toBe('modify/not-acceptable');
  });

  test('§10.1.3: a password-protected room without a password is not-acceptable', () => {
    const submit = fillIn(configForm(current), { 'muc#roomconfig_passwordprotectedroom': ['1'] });
    const result = applyConfigSubmit(current, submit);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.condition).toBe('not-acceptable');
    expect(!result.ok && result.error.text).toContain('muc#roomconfig_roomsecret');
  });

  test('nothing is applied when one field is wrong', () => {
    const submit = fillIn(configForm(current), {
      'muc#roomconfig_roomname': ['New'], 'muc#roomconfig_whois': ['everybody'],
    });
    expect(applyConfigSubmit(current, submit).ok).toBe(false);
    expect(current.roomname).toBe('');
  });

  test.each([
    ['a form of type form', `<x xmlns='jabber:x:data' type='form'><field var='FORM_TYPE'><value>${ROOMCONFIG}</value></field></x>`],
    ['a form of type result', `<x xmlns='jabber:x:data' type='result'/>`],
    ['a form without type', `<x xmlns='jabber:x:data'/>`],
    ['another FORM_TYPE', `<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>${NS.mucRequest}</value></field></x>`],
    ['no FORM_TYPE', `<x xmlns='jabber:x:data' type='submit'><field var='muc#roomconfig_roomname'><value>x</value></field></x>`],
    ['a field given twice', `<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>${ROOMCONFIG}</value></field><field var='FORM_TYPE'><value>${ROOMCONFIG}</value></field></x>`],
    ['not a data form', `<x xmlns='http://jabber.org/protocol/muc#user' type='submit'/>`],
  ])('%s is modify/bad-request', (_name, xml) => {
    expect(errorOf(current, parse(xml))).toBe('modify/bad-request');
  });
});
