/**
 * XEP-0115 §5 verification strings and hashes, with the examples of §5.2 and §5.3 and the
 * §5.4 cases that cannot be verified; "+notify" features read as node names (XEP-0163 §4.3).
 */
import { describe, expect, test } from '@jest/globals';
import { parse } from 'ltx';
import { capsVer, notifyNodes, verificationString } from '../../im/pep/caps-hash.js';

const SIMPLE = `<query xmlns='http://jabber.org/protocol/disco#info'>
  <identity category='client' name='Exodus 0.9.1' type='pc'/>
  <feature var='http://jabber.org/protocol/caps'/>
  <feature var='http://jabber.org/protocol/disco#info'/>
  <feature var='http://jabber.org/protocol/disco#items'/>
  <feature var='http://jabber.org/protocol/muc'/>
</query>`;

const COMPLEX = `<query xmlns='http://jabber.org/protocol/disco#info'>
  <identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>
  <identity xml:lang='el' category='client' name='Ψ 0.11' type='pc'/>
  <feature var='http://jabber.org/protocol/caps'/>
  <feature var='http://jabber.org/protocol/disco#info'/>
  <feature var='http://jabber.org/protocol/disco#items'/>
  <feature var='http://jabber.org/protocol/muc'/>
  <x xmlns='jabber:x:data' type='result'>
    <field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>
    <field var='ip_version'><value>ipv4</value><value>ipv6</value></field>
    <field var='os'><value>Mac</value></field>
    <field var='os_version'><value>10.5.1</value></field>
    <field var='software'><value>Psi</value></field>
    <field var='software_version'><value>0.11</value></field>
  </x>
</query>`;

describe('XEP-0115 §5 examples', () => {
  test('§5.2 simple generation example', () => {
    expect(verificationString(parse(SIMPLE))).toBe('client/pc//Exodus 0.9.1<http://jabber.org/protocol/caps<http://jabber.org/protocol/disco#info<http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<');
    expect(capsVer(parse(SIMPLE))).toBe('QgayPKawpkPSDYmwT/WM94uAlu0=');
  });

  test('§5.3 complex generation example (languages, an extended form)', () => {
    expect(capsVer(parse(COMPLEX))).toBe('q07IKJEyjvHSyhy//CH0CxmKi8w=');
  });
});

describe('§5.4: answers that cannot be verified', () => {
  test.each([
    ['a duplicate identity', SIMPLE.replace('<feature', "<identity category='client' name='Exodus 0.9.1' type='pc'/><feature")],
    ['a duplicate feature', SIMPLE.replace('<feature', "<feature var='http://jabber.org/protocol/muc'/><feature")],
    ['two forms of one FORM_TYPE', COMPLEX.replace('</query>', "<x xmlns='jabber:x:data' type='result'><field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field></x></query>")],
  ])('%s', (_name, xml) => {
    expect(capsVer(parse(xml))).toBeUndefined();
  });

  test('a form whose FORM_TYPE is not hidden is left out of the string', () => {
    const visible = COMPLEX.replace("var='FORM_TYPE' type='hidden'", "var='FORM_TYPE'");
    expect(verificationString(parse(visible))).not.toContain('softwareinfo');
  });
});

test('+notify features name the nodes a client wants', () => {
  const query = parse(SIMPLE.replace('</query>', "<feature var='urn:xmpp:avatar:metadata+notify'/><feature var='http://jabber.org/protocol/mood+notify'/></query>"));
  expect(notifyNodes(query)).toEqual(['urn:xmpp:avatar:metadata', 'http://jabber.org/protocol/mood']);
});
