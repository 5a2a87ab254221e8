#!/usr/bin/env python3
"""User Avatar (XEP-0084) over PEP seen by slixmpp's xep_0084 and xep_0115 plugins.

The scenario of slixmpp's own integration test (itests/test_user_avatar.py), written for this
suite, plus a contact: Alice and Bob are contacts (slixmpp approves subscriptions itself), both
advertise urn:xmpp:avatar:metadata+notify through entity capabilities (XEP-0115, which the server
verifies with a disco#info query). Alice clears her avatar, publishes the data and then the
metadata: her own client and Bob's receive the metadata notification, and the data is read back
by id, by Alice and by Bob.

Exit status: 0 on success, 1 on any failure or timeout (with the reason on stderr).
"""
import asyncio
import sys

from slixmpp import JID
from slixmpp_avatar_peer import AvatarPeer, befriend
from slixmpp_common import check, run_main, server_arguments, start_all, wait_until

DATA = b'coucou coucou'


async def avatar(alice: AvatarPeer, bob: AvatarPeer, timeout: float) -> None:
    await befriend(alice, bob, timeout)
    await alice['xep_0084'].stop(timeout=timeout)
    await alice['xep_0084'].publish_avatar(b'', timeout=timeout)
    await alice['xep_0084'].publish_avatar(DATA, timeout=timeout)
    metadata = {'id': alice['xep_0084'].generate_id(DATA), 'bytes': 13, 'type': 'image/jpeg'}
    await alice['xep_0084'].publish_avatar_metadata(metadata, timeout=timeout)
    expected = ('alice@localhost', metadata)
    await wait_until(lambda: expected in alice.metadata, timeout, lambda: f'alice saw {alice.metadata}')
    await wait_until(lambda: expected in bob.metadata, timeout, lambda: f'bob saw {bob.metadata}')
    for reader in (alice, bob):
        got = await reader['xep_0084'].retrieve_avatar(JID('alice@localhost'), metadata['id'], timeout=timeout)
        check(got['pubsub']['items']['item']['avatar_data']['value'] == DATA, f'{reader.boundjid} read {got}')


async def scenario(port: int, cafile: str, timeout: float) -> str:
    alice = AvatarPeer('alice@localhost/avatar', 'alice-secret', cafile)
    bob = AvatarPeer('bob@localhost/avatar', 'bob-secret', cafile)
    try:
        await start_all([alice, bob], port, timeout)
        await asyncio.wait_for(avatar(alice, bob, timeout), timeout)
        return 'OK: avatar published; owner and contact got the metadata notification; data read back'
    finally:
        for session in (alice, bob):
            session.disconnect()


def main() -> int:
    args = server_arguments(__doc__.splitlines()[0]).parse_args()
    return run_main(args, lambda: scenario(args.port, args.cafile, args.timeout))


if __name__ == '__main__':
    sys.exit(main())
