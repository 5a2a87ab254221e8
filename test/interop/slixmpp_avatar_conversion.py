#!/usr/bin/env python3
"""User Avatar to vCard-Based Avatars Conversion (XEP-0398) seen by slixmpp's plugins.

Alice and Bob are contacts (slixmpp approves subscriptions itself) and advertise
urn:xmpp:avatar:metadata+notify through entity capabilities (XEP-0115). Alice publishes an avatar
with xep_0084 (data, then metadata): Bob's xep_0054 reads it back as the PHOTO of Alice's vCard.
Then Alice sets another avatar with xep_0153 (a vcard-temp set): Bob's xep_0084 receives the
metadata notification of the converted image, whose id is the SHA-1 of its bytes, and reads the
data by that id.

Exit status: 0 on success, 1 on any failure or timeout (with the reason on stderr).
"""
import asyncio
import hashlib
import sys

from slixmpp import JID
from slixmpp_avatar_peer import AvatarPeer, befriend
from slixmpp_common import check, run_main, server_arguments, start_all, wait_until

PLUGINS = ['xep_0054', 'xep_0060', 'xep_0163', 'xep_0084', 'xep_0115', 'xep_0153']
PEP_IMAGE = b'an image published over PEP'
VCARD_IMAGE = b'an image set in the vCard'


class Peer(AvatarPeer):
    def __init__(self, jid: str, password: str, cafile: str) -> None:
        super().__init__(jid, password, cafile, PLUGINS)


async def photo_of(reader: Peer, jid: str, timeout: float) -> tuple[bytes, str]:
    result = await reader['xep_0054'].get_vcard(JID(jid), cached=False, timeout=timeout)
    photo = result['vcard_temp']['PHOTO']
    return photo['BINVAL'] or b'', photo['TYPE']


async def conversion(alice: Peer, bob: Peer, timeout: float) -> None:
    await befriend(alice, bob, timeout)

    # XEP-0084 → vCard.
    await alice['xep_0084'].publish_avatar(PEP_IMAGE, timeout=timeout)
    pep_id = hashlib.sha1(PEP_IMAGE).hexdigest()
    await alice['xep_0084'].publish_avatar_metadata({'id': pep_id, 'bytes': len(PEP_IMAGE), 'type': 'image/png'}, timeout=timeout)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    photo = await photo_of(bob, 'alice@localhost', timeout)
    while photo[0] != PEP_IMAGE and loop.time() < deadline:
        await asyncio.sleep(0.05)
        photo = await photo_of(bob, 'alice@localhost', timeout)
    check(photo == (PEP_IMAGE, 'image/png'), f'bob read the vCard photo {photo!r}')

    # vCard (XEP-0153) → XEP-0084.
    await alice['xep_0153'].set_avatar(avatar=VCARD_IMAGE, mtype='image/jpeg', timeout=timeout)
    vcard_id = hashlib.sha1(VCARD_IMAGE).hexdigest()
    expected = ('alice@localhost', {'id': vcard_id, 'bytes': len(VCARD_IMAGE), 'type': 'image/jpeg'})
    await wait_until(lambda: expected in bob.metadata, timeout, lambda: f'bob saw {bob.metadata}')
    got = await bob['xep_0084'].retrieve_avatar(JID('alice@localhost'), vcard_id, timeout=timeout)
    check(got['pubsub']['items']['item']['avatar_data']['value'] == VCARD_IMAGE, f'bob read {got}')


async def scenario(port: int, cafile: str, timeout: float) -> str:
    alice = Peer('alice@localhost/conversion', 'alice-secret', cafile)
    bob = Peer('bob@localhost/conversion', 'bob-secret', cafile)
    try:
        await start_all([alice, bob], port, timeout)
        await asyncio.wait_for(conversion(alice, bob, timeout), timeout)
        return 'OK: a PEP avatar read back as the vCard photo; a vCard avatar notified as XEP-0084 metadata'
    finally:
        for session in (alice, bob):
            session.disconnect()


def main() -> int:
    args = server_arguments(__doc__.splitlines()[0]).parse_args()
    return run_main(args, lambda: scenario(args.port, args.cafile, args.timeout))


if __name__ == '__main__':
    sys.exit(main())
