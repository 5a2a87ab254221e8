#!/usr/bin/env python3
"""slixmpp's Message Archive Management plugin (xep_0313) querying a room's archive.

alice joins --room with xep_0045's join_muc_wait and sends --count groupchat messages, waiting
for each reflection, which must carry the room's XEP-0359 stanza id (by = the room). She then
pages through the room's archive with xep_0313 (jid = the room) forwards (retrieve with an RSM
iterator, pages of --page) and backwards (iterate with reverse=True), and once more filtered on
her occupant JID (with_jid = room/Alice): every message comes exactly once, in order, and the
archive ids are the stanza ids the reflections carried.

The server certificate is checked against the PEM file given with --cafile.
Exit status: 0 on success (one line starting with OK on stdout), 1 on any failure or timeout
(with the reason on stderr).
"""
import argparse
import asyncio
import sys

import slixmpp
from slixmpp import JID
from slixmpp_common import Session, check, run_main, server_arguments, wait_until

SID = '{urn:xmpp:sid:0}stanza-id'


class Client(Session):
    """A client with the MUC and MAM plugins that keeps the room's reflections."""

    def __init__(self, jid: str, password: str, cafile: str) -> None:
        super().__init__(jid, password, cafile, ['xep_0030', 'xep_0045', 'xep_0313', 'xep_0359'])
        self.reflections: list[tuple[str, str | None]] = []
        self.add_event_handler('groupchat_message', self.on_groupchat)

    def on_groupchat(self, message: slixmpp.Message) -> None:
        if not message['body'] or message.xml.find('{urn:xmpp:delay}delay') is not None:
            return
        stamped = [el for el in message.xml.findall(SID) if el.get('by') == message['from'].bare]
        self.reflections.append((message['body'], stamped[0].get('id') if len(stamped) == 1 else None))


async def scenario(alice: Client, room: str, count: int, page: int, timeout: float) -> str:
    await alice.plugin['xep_0045'].join_muc_wait(JID(room), 'Alice', maxstanzas=0, timeout=timeout)
    expected = [f'room message {i}' for i in range(count)]
    for body in expected:
        alice.send_message(mto=JID(room), mbody=body, mtype='groupchat')
    await wait_until(lambda: len(alice.reflections) >= count, timeout, lambda: f'{len(alice.reflections)} of {count} reflected', 0.02)
    check([body for body, _ in alice.reflections] == expected, 'the reflections came out of order')
    stanza_ids = [sid for _, sid in alice.reflections]
    check(all(stanza_ids), f'a reflection carried no stanza id by {room}')

    mam = alice.plugin['xep_0313']
    forwards: list[tuple[str, str]] = []
    pages = 0
    async for result in mam.retrieve(jid=JID(room), iterator=True, rsm={'max': page}):
        pages += 1
        for message in result['mam']['results']:
            forwards.append((message['mam_result']['id'], message['mam_result']['forwarded']['stanza']['body']))
    check([body for _, body in forwards] == expected, f'forwards: {len(forwards)} messages, first {forwards[:2]}')
    check([mid for mid, _ in forwards] == stanza_ids, 'forwards: archive ids differ from the stanza ids')

    backwards: list[str] = []
    async for message in mam.iterate(jid=JID(room), reverse=True, rsm={'max': page}):
        backwards.append(message['mam_result']['forwarded']['stanza']['body'])
    check(backwards == list(reversed(expected)), f'backwards: {len(backwards)} messages, first {backwards[:2]}')

    mine: list[str] = []
    async for message in mam.iterate(jid=JID(room), with_jid=JID(f'{room}/Alice'), rsm={'max': page}):
        check(message['mam_result']['forwarded']['stanza']['from'] == JID(f'{room}/Alice'), 'a result is not from room/Alice')
        mine.append(message['mam_result']['forwarded']['stanza']['body'])
    check(mine == expected, f'with room/Alice: {len(mine)} messages')
    return f'OK: {count} room messages paged forwards in {pages} pages of {page}, backwards and by occupant, ids matching the stanza ids'


async def run(args: argparse.Namespace) -> str:
    alice = Client('alice@localhost', 'alice-secret', args.cafile)
    try:
        await alice.start(args.port, args.timeout)
        return await asyncio.wait_for(scenario(alice, args.room, args.count, args.page, args.timeout), args.timeout * 3)
    finally:
        alice.disconnect()


def main() -> int:
    parser = server_arguments(__doc__.splitlines()[0], timeout=8.0)
    parser.add_argument('--room', required=True)
    parser.add_argument('--count', type=int, default=25)
    parser.add_argument('--page', type=int, default=10)
    args = parser.parse_args()
    return run_main(args, lambda: run(args))


if __name__ == '__main__':
    sys.exit(main())
