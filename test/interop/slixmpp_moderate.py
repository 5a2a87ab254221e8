#!/usr/bin/env python3
"""slixmpp's message moderation plugin (xep_0425, the urn:xmpp:message-moderate:0 form) against a room.

The scenario of slixmpp's own integration test for moderation, written for Salon: alice creates
--room with xep_0045 (join_muc_wait), submits its configuration form (not persistent,
members-only) and makes bob a member with send_affiliation_list; bob joins. bob says something;
alice, the owner, retracts it with xep_0425's moderate, naming it first by the room's stanza id
(xep_0359, as XEP-0425 says) and then, for a second message, by the id bob's client gave it (as
slixmpp's own test does). Each time bob must receive the room's `moderated_message` naming the
stanza id, and the iq must succeed. bob, a member without the moderator role, is then refused
(forbidden). Finally alice pages through the room's archive with xep_0313: the moderated messages
come back as tombstones without their bodies, the third one unchanged.

The server certificate is checked against the PEM file given with --cafile.
Exit status: 0 on success (one line starting with OK on stdout), 1 on any failure or timeout
(with the reason on stderr).
"""
import argparse
import asyncio
import sys

import slixmpp
from slixmpp import JID
from slixmpp.exceptions import IqError
from slixmpp_common import Session, check, run_main, server_arguments, start_all

MODERATED_0 = '{urn:xmpp:message-moderate:0}moderated'
RETRACTED_1 = '{urn:xmpp:message-retract:1}retracted'
PLUGINS = ['xep_0030', 'xep_0045', 'xep_0313', 'xep_0359', 'xep_0425']


class Client(Session):
    """A client with the MUC, MAM, stanza-id and moderation plugins."""

    def __init__(self, jid: str, password: str, cafile: str) -> None:
        super().__init__(jid, password, cafile, PLUGINS)

    @property
    def muc(self):
        return self.plugin['xep_0045']


async def setup_room(alice: Client, bob: Client, room: JID, timeout: float) -> None:
    presence, *_rest = await alice.muc.join_muc_wait(room, 'client1', maxstanzas=0, timeout=timeout)
    check(presence['muc']['affiliation'] == 'owner', f"alice is {presence['muc']['affiliation']}, not the owner")
    form = await alice.muc.get_room_config(room, timeout=timeout)
    form.set_values({'muc#roomconfig_persistentroom': False, 'muc#roomconfig_membersonly': True})
    await alice.muc.set_room_config(room, form, timeout=timeout)
    await alice.muc.send_affiliation_list(room, [(bob.boundjid.bare, 'member')], timeout=timeout)
    await bob.muc.join_muc_wait(room, 'client2', maxstanzas=0, timeout=timeout)


async def say_and_moderate(alice: Client, bob: Client, room: JID, body: str, by_own_id: bool, timeout: float) -> str:
    """bob says `body`; alice moderates it; resolves with its stanza id once bob was told."""
    received: asyncio.Future[slixmpp.Message] = asyncio.get_running_loop().create_future()

    def on_groupchat(message: slixmpp.Message) -> None:
        if message['body'] == body and not received.done():
            received.set_result(message)

    alice.add_event_handler('groupchat_message', on_groupchat)
    try:
        bob.make_message(mto=room, mtype='groupchat', mbody=body).send()
        message = await asyncio.wait_for(received, timeout)
    finally:
        alice.del_event_handler('groupchat_message', on_groupchat)
    stanza_id = message['stanza_id']['id']
    check(stanza_id != '' and message['stanza_id']['by'] == room, f'the reflection of {body!r} carries no stanza id by the room')
    named = message['id'] if by_own_id else stanza_id
    check(named != '', 'the reflection kept no id')
    _result, told = await asyncio.gather(
        alice.plugin['xep_0425'].moderate(room, id=named, reason='Your message is bad.', timeout=timeout),
        bob.wait_until('moderated_message', timeout),
    )
    check(told['apply_to']['id'] == stanza_id, f"bob was told of {told['apply_to']['id']!r}, not {stanza_id!r}")
    check(told['apply_to']['moderated']['reason'] == 'Your message is bad.', 'the announcement lost the reason')
    return stanza_id


async def scenario(alice: Client, bob: Client, room: JID, timeout: float) -> str:
    await setup_room(alice, bob, room, timeout)
    first = await say_and_moderate(alice, bob, room, 'Coucou', False, timeout)
    second = await say_and_moderate(alice, bob, room, 'Coucou encore', True, timeout)
    bob.make_message(mto=room, mtype='groupchat', mbody='still here').send()
    try:
        await bob.plugin['xep_0425'].moderate(room, id=first, reason='mine', timeout=timeout)
        raise AssertionError('a member without the moderator role moderated a message')
    except IqError as error:
        check(error.condition == 'forbidden', f'the member was refused with {error.condition}, not forbidden')

    archived: dict[str, slixmpp.Message] = {}
    bodies: list[str] = []
    async for result in alice.plugin['xep_0313'].retrieve(jid=room, iterator=True, rsm={'max': 10}):
        for message in result['mam']['results']:
            stanza = message['mam_result']['forwarded']['stanza']
            archived[message['mam_result']['id']] = stanza
            if stanza['body']:
                bodies.append(stanza['body'])
    check(bodies == ['still here'], f'the archive still returns bodies {bodies}')
    for stanza_id in (first, second):
        check(stanza_id in archived, f'the archive lost the tombstone of {stanza_id}')
        tombstone = archived[stanza_id].xml
        check(tombstone.find(MODERATED_0) is not None and tombstone.find(RETRACTED_1) is not None, f'{stanza_id} is no tombstone')
    return 'OK: two messages moderated (by stanza id and by their own id), bob told each time, a member refused, tombstones in the archive'


async def run(args: argparse.Namespace) -> str:
    alice = Client('alice@localhost', 'alice-secret', args.cafile)
    bob = Client('bob@localhost', 'bob-secret', args.cafile)
    try:
        await start_all([alice, bob], args.port, args.timeout)
        return await asyncio.wait_for(scenario(alice, bob, JID(args.room), args.timeout), args.timeout * 3)
    finally:
        alice.disconnect()
        bob.disconnect()


def main() -> int:
    parser = server_arguments(__doc__.splitlines()[0], timeout=8.0)
    parser.add_argument('--room', required=True)
    args = parser.parse_args()
    return run_main(args, lambda: run(args))


if __name__ == '__main__':
    sys.exit(main())
