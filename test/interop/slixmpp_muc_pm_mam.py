#!/usr/bin/env python3
"""slixmpp finds a MUC private message (XEP-0045 §7.5) in its own archive (xep_0313).

alice and bob join --room (xep_0045) as Alice and Bob; alice sends bob a private message to his
occupant JID. bob receives it from alice's occupant JID with a stanza id (xep_0359); then bob
queries his own archive with alice's occupant JID and with the room's bare JID, alice queries
hers with bob's occupant JID: each finds the message exactly once, and bob's archive id is the
stanza id his delivered message carried.

The server certificate is checked against the PEM file given with --cafile.
Exit status: 0 on success (one line starting with OK on stdout), 1 on any failure or timeout
(with the reason on stderr).
"""
import argparse
import sys

import slixmpp
from slixmpp import JID
from slixmpp_common import Session, check, run_main, server_arguments, start_all, wait_until


class Client(Session):
    """A client with the MUC and MAM plugins that keeps the private messages it receives."""

    def __init__(self, jid: str, password: str, cafile: str) -> None:
        super().__init__(jid, password, cafile, ['xep_0030', 'xep_0045', 'xep_0313', 'xep_0359'])
        self.private: list[slixmpp.Message] = []
        self.add_event_handler('message', self.on_message)

    def on_message(self, message: slixmpp.Message) -> None:
        if message['type'] == 'chat' and message['body']:
            self.private.append(message)


async def archived(client: Client, with_jid: str) -> list[tuple[str, str]]:
    """(archive id, body) of every message in the client's own archive with `with_jid`."""
    found: list[tuple[str, str]] = []
    async for result in client['xep_0313'].retrieve(with_jid=JID(with_jid), iterator=True, rsm={'max': 10}):
        for message in result['mam']['results']:
            found.append((message['mam_result']['id'], message['mam_result']['forwarded']['stanza']['body']))
    return found


async def scenario(alice: Client, bob: Client, room: str, timeout: float) -> str:
    await alice['xep_0045'].join_muc_wait(JID(room), 'Alice', timeout=timeout)
    await bob['xep_0045'].join_muc_wait(JID(room), 'Bob', timeout=timeout)
    alice.send_message(mto=JID(f'{room}/Bob'), mbody='just between us', mtype='chat')
    await wait_until(lambda: len(bob.private) > 0, timeout, 'bob received no private message')
    delivered = bob.private[0]
    check(delivered['from'] == JID(f'{room}/Alice'), f'the private message came from {delivered["from"]}')
    stanza_id = delivered['stanza_id']
    check(stanza_id['by'] == JID('bob@localhost'), f'the stanza id is by {stanza_id["by"]!r}')
    check(bool(stanza_id['id']), 'the delivered private message carried no stanza id')

    by_occupant = await archived(bob, f'{room}/Alice')
    check(by_occupant == [(stanza_id['id'], 'just between us')], f"bob's archive with Alice's occupant JID: {by_occupant}")
    by_room = await archived(bob, room)
    check(by_room == by_occupant, f"bob's archive with the room: {by_room}")
    alices = await archived(alice, f'{room}/Bob')
    check([body for _id, body in alices] == ['just between us'], f"alice's archive with Bob's occupant JID: {alices}")
    return 'OK: the private message is in both archives once, by occupant JID and room, with the delivered stanza id'


async def run(args: argparse.Namespace) -> str:
    alice = Client('alice@localhost', 'alice-secret', args.cafile)
    bob = Client('bob@localhost', 'bob-secret', args.cafile)
    try:
        await start_all([alice, bob], args.port, args.timeout)
        return await scenario(alice, bob, args.room, args.timeout)
    finally:
        for client in (alice, bob):
            client.disconnect()


def main() -> int:
    parser = server_arguments(__doc__.splitlines()[0])
    parser.add_argument('--room', required=True)
    args = parser.parse_args()
    return run_main(args, lambda: run(args))


if __name__ == '__main__':
    sys.exit(main())
