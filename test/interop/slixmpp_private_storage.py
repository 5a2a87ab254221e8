#!/usr/bin/env python3
"""Private XML Storage (XEP-0049) seen by slixmpp's xep_0049 and xep_0048 plugins against Salon.

The scenario of slixmpp's own integration test (itests/test_privatestorage.py): Alice stores
XEP-0048 bookmarks in private storage and reads them back, then stores an empty <storage/> and
reads back the empty element. Alice's second resource reads what the first stored, and Bob,
asking for Alice's storage, is refused with `forbidden`.

Exit status: 0 on success, 1 on any failure or timeout (with the reason on stderr).
"""
import sys

from slixmpp.exceptions import IqError
from slixmpp.plugins.xep_0048.stanza import Bookmarks
from slixmpp_common import Session, check, run_main, server_arguments, start_all

PLUGINS = ['xep_0048', 'xep_0049']


async def private_storage(port: int, cafile: str, timeout: float) -> str:
    desk = Session('alice@localhost/desk', 'alice-secret', cafile, PLUGINS)
    phone = Session('alice@localhost/phone', 'alice-secret', cafile, PLUGINS)
    bob = Session('bob@localhost/desk', 'bob-secret', cafile, PLUGINS)
    sessions = (desk, phone, bob)
    try:
        await start_all(sessions, port, timeout)

        bookmarks = Bookmarks()
        bookmarks.add_conference('lobby@conference.localhost', 'alice', name='Lobby', autojoin=True)
        await desk['xep_0049'].store(bookmarks, timeout=timeout)
        result = await desk['xep_0049'].retrieve('bookmarks', timeout=timeout)
        check(result['private']['bookmarks'] == bookmarks, f"read back {result['private']['bookmarks']}")
        seen = await phone['xep_0049'].retrieve('bookmarks', timeout=timeout)
        conferences = seen['private']['bookmarks']['conferences']
        check([(str(c['jid']), c['nick'], c['autojoin']) for c in conferences] == [('lobby@conference.localhost', 'alice', True)],
              f'the other resource read {seen}')

        # The plugin only addresses the own account; the same request, addressed to Alice.
        foreign = bob.make_iq_get(ito='alice@localhost')
        foreign['private'].enable('bookmarks')
        try:
            await foreign.send(timeout=timeout)
            raise AssertionError("bob read alice's private storage")
        except IqError as error:
            check(error.condition == 'forbidden', f'bob got {error.condition}')

        # Purge, as the upstream test does: the empty element comes back.
        await desk['xep_0049'].store(Bookmarks(), timeout=timeout)
        result = await phone['xep_0049'].retrieve('bookmarks', timeout=timeout)
        check(result['private']['bookmarks'] == Bookmarks(), f"after the purge: {result['private']['bookmarks']}")
        return 'OK: bookmarks stored, read from both resources, refused to bob, purged'
    finally:
        for session in sessions:
            session.disconnect()


def main() -> int:
    args = server_arguments(__doc__.splitlines()[0]).parse_args()
    return run_main(args, lambda: private_storage(args.port, args.cafile, args.timeout))


if __name__ == '__main__':
    sys.exit(main())
