import { describe, expect, test } from '@jest/globals';
import { ElementScanner, type ScannedElement } from '../../bench/support/element-scanner.js';
import { InFlightMessages } from '../../bench/support/in-flight-messages.js';

const ID = 'id';
const TYPE = 'type';
const MESSAGE = 'message';

interface Seen {
  text: string;
  isMessage: boolean;
  id: string | undefined;
  type: string | undefined;
}

function value(element: ScannedElement, name: string): string | undefined {
  return element.attribute(name) ? Buffer.from(element.source.slice(element.valueStart, element.valueEnd), 'latin1').toString('utf8') : undefined;
}

function scanner(): { scanner: ElementScanner; seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    scanner: new ElementScanner((element) => seen.push({
      text: element.text(), isMessage: element.is(MESSAGE), id: value(element, ID), type: value(element, TYPE),
    })),
  };
}

const MESSAGE_XML = '<message to="b@localhost/r" from="room@conference.localhost/Zo\u00eb" type="groupchat" id="3.17"><body>th\u00e9 &lt;\u2615&gt; "quoted"</body><occupant-id xmlns="urn:xmpp:occupant-id:0" id="x"/></message>';
const PRESENCE_XML = "<presence from='a@localhost/r' id='p&apos;1'/>";
const ERROR_XML = "<message type='error' id='3.18'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>";
const STREAM = `${MESSAGE_XML}\n${PRESENCE_XML} ${ERROR_XML}</stream:stream>`;

const EXPECTED: Seen[] = [
  { text: MESSAGE_XML, isMessage: true, id: '3.17', type: 'groupchat' },
  { text: PRESENCE_XML, isMessage: false, id: 'p&apos;1', type: undefined },
  { text: ERROR_XML, isMessage: true, id: '3.18', type: 'error' },
  { text: '</stream:stream>', isMessage: false, id: undefined, type: undefined },
];

describe('ElementScanner', () => {
  test('finds top-level elements and their attributes in either quote style, not those of children', () => {
    const { scanner: s, seen } = scanner();
    s.write(Buffer.from(STREAM));
    expect(seen).toEqual(EXPECTED);
  });

  test('gives the same elements when the bytes arrive one at a time (multibyte characters split)', () => {
    const { scanner: s, seen } = scanner();
    const bytes = Buffer.from(STREAM);
    for (let i = 0; i < bytes.length; i++) s.write(bytes.subarray(i, i + 1));
    expect(seen).toEqual(EXPECTED);
  });

  test('holds an element back until its end tag arrives', () => {
    const { scanner: s, seen } = scanner();
    const cut = MESSAGE_XML.indexOf('</body>');
    s.write(Buffer.from(MESSAGE_XML.slice(0, cut)));
    expect(seen).toEqual([]);
    s.write(Buffer.from(MESSAGE_XML.slice(cut)));
    expect(seen).toEqual([EXPECTED[0]]);
  });
});

describe('InFlightMessages', () => {
  const find = (table: InFlightMessages, id: string): number => table.find(`<x id="${id}"`, 7, 7 + id.length);

  test('matches deliveries to the message by id and counts them down', () => {
    const table = new InFlightMessages(12, 4);
    const id = table.send(11, 2, 100);
    expect(id).toBe('11.0');
    const slot = find(table, id);
    expect(table.senderOf(slot)).toBe(11);
    expect(table.sentAt(slot)).toBe(100);
    expect(table.outstanding).toBe(1);
    expect(table.deliver(slot)).toBe(false);
    expect(table.deliver(slot)).toBe(true);
    expect(table.outstanding).toBe(0);
    expect(find(table, id)).toBe(-1); // all its deliveries arrived
  });

  test('does not match ids that are not in flight or not ours', () => {
    const table = new InFlightMessages(2, 4);
    table.send(0, 1, 0);
    for (const id of ['0.1', '2.0', 'joined-0', '0.', '.0', '0.0x', '']) expect(find(table, id)).toBe(-1);
  });

  test('refuses to overwrite a message still in flight when the window is full', () => {
    const table = new InFlightMessages(1, 2);
    table.send(0, 1, 0);
    table.send(0, 1, 0);
    expect(() => table.send(0, 1, 0)).toThrow(/more than 2 messages in flight/);
  });
});
