#!/usr/bin/env python3
"""vcard-temp (XEP-0054) and vCard-based avatars (XEP-0153) with slixmpp's plugins against Salon.

The behaviour slixmpp's own integration tests check (itests/test_vcard.py and
itests/test_vcard_avatar.py), with a contact added:
- vCard: Alice publishes an empty vCard; Bob reads it and finds no TITLE. Alice publishes one
  with a TITLE; Bob reads that TITLE back.
- Avatar: Alice clears her avatar, then sets one with xep_0153's set_avatar (read the vCard,
  publish it with the photo, announce the new hash in presence). Her own client must see a
  presence carrying the SHA-1 of the image, and the vCard she reads back must hold the image.
- Contact: Bob then subscribes to Alice and must see her presence with that hash as well.

Exit status: 0 on success, 1 on any failure or timeout (with the reason on stderr).
"""
import asyncio
import sys
from hashlib import sha1

import slixmpp
from slixmpp_common import Session, check, run_main, server_arguments, start_all, wait_until

IMAGE = b'coucou coucou'
IMAGE_HASH = sha1(IMAGE).hexdigest()


class Peer(Session):
    """Fetches its roster before initial presence, and records the avatar hashes it is shown."""

    def __init__(self, jid: str, password: str, cafile: str) -> None:
        super().__init__(jid, password, cafile, ['xep_0054', 'xep_0153'])
        self.hashes: list[tuple[str, str]] = []
        self.add_event_handler('vcard_avatar_update', self.on_avatar)

    async def on_session_start(self, event: object) -> None:
        await self.get_roster()
        super().on_session_start(event)

    def on_avatar(self, presence: slixmpp.Presence) -> None:
        self.hashes.append((presence['from'].bare, presence['vcard_temp_update']['photo']))

    def subscription(self, contact: str) -> str:
        return self.client_roster[contact]['subscription']


async def vcard_roundtrip(alice: Peer, bob: Peer) -> None:
    """itests/test_vcard.py: an empty vCard, then one with a TITLE, as another user reads them."""
    await alice['xep_0054'].publish_vcard(alice['xep_0054'].make_vcard())
    empty = await bob['xep_0054'].get_vcard('alice@localhost')
    check(empty['vcard_temp']['TITLE'] is None, f"cleared vCard has TITLE {empty['vcard_temp']['TITLE']!r}")
    vcard = alice['xep_0054'].make_vcard()
    vcard['TITLE'] = 'Coucou coucou'
    await alice['xep_0054'].publish_vcard(vcard)
    seen = await bob['xep_0054'].get_vcard('alice@localhost')
    check(seen['vcard_temp']['TITLE'] == 'Coucou coucou', f"bob read TITLE {seen['vcard_temp']['TITLE']!r}")


async def avatar(alice: Peer, timeout: float) -> None:
    """itests/test_vcard_avatar.py: Alice's own client sees the hash of her new avatar."""
    await alice['xep_0153'].set_avatar(avatar=b'')
    own_update = alice.wait_until('vcard_avatar_update', timeout)
    presence, _ = await asyncio.gather(own_update, alice['xep_0153'].set_avatar(avatar=IMAGE, mtype='image/png'))
    announced = presence['vcard_temp_update']['photo']
    check(announced == IMAGE_HASH, f'alice saw the hash {announced!r}, expected {IMAGE_HASH}')
    stored = await alice['xep_0054'].get_vcard(slixmpp.JID('alice@localhost'))
    check(stored['vcard_temp']['PHOTO']['BINVAL'] == IMAGE, f"stored photo is {stored['vcard_temp']['PHOTO']['BINVAL']!r}")


async def contact_sees_avatar(alice: Peer, bob: Peer, timeout: float) -> None:
    """Bob subscribes to Alice (slixmpp's roster approves and subscribes back) and sees her hash."""
    bob.send_presence_subscription(pto='alice@localhost')
    await wait_until(lambda: bob.subscription('alice@localhost') == 'both', timeout,
                     lambda: f"bob has alice as {bob.subscription('alice@localhost')!r}")
    await wait_until(lambda: ('alice@localhost', IMAGE_HASH) in bob.hashes, timeout,
                     lambda: f'bob saw avatar hashes {bob.hashes}')


async def scenario(port: int, cafile: str, timeout: float) -> str:
    alice = Peer('alice@localhost/desk', 'alice-secret', cafile)
    bob = Peer('bob@localhost/phone', 'bob-secret', cafile)
    peers = (alice, bob)
    try:
        await start_all(peers, port, timeout)
        await vcard_roundtrip(alice, bob)
        # Before any subscription: slixmpp re-sends the last presence it sent, and after the
        # handshake that is a directed presence to Bob, which Alice's client is not shown.
        await avatar(alice, timeout)
        await contact_sees_avatar(alice, bob, timeout)
        return 'OK: vCards published and read; the avatar hash reached alice and her contact bob'
    finally:
        for peer in peers:
            peer.disconnect()


def main() -> int:
    args = server_arguments(__doc__.splitlines()[0]).parse_args()
    return run_main(args, lambda: scenario(args.port, args.cafile, args.timeout))


if __name__ == '__main__':
    sys.exit(main())
