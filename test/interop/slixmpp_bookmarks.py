#!/usr/bin/env python3
"""Bookmarks (XEP-0402 with XEP-0411 compatibility) seen by slixmpp's xep_0048, xep_0049, xep_0060 and xep_0223 plugins.

slixmpp has no XEP-0402 plugin; its XEP-0048 plugin is the legacy client, and a second resource
of the same account speaks XEP-0402 through its generic pubsub plugins. The legacy resource stores
bookmarks in private XML storage, twice (a room added); the native resource reads one item per
room. It then publishes a room the native way, which the legacy resource reads from private
storage and from the `storage:bookmarks` PEP node (xep_0048 with its xep_0223 method).
Notifications are tested with raw XML (bookmarks-compat.test.ts): slixmpp 1.8 advertises a caps
ver for a +notify interest that its own disco#info answer does not hash to, which the server
rightly ignores.

Exit status: 0 on success, 1 on any failure or timeout (with the reason on stderr).
"""
import asyncio
import sys

from slixmpp.plugins.xep_0048.stanza import Bookmarks
from slixmpp.plugins.xep_0060.stanza import Item
from slixmpp.xmlstream import ElementBase, register_stanza_plugin
from slixmpp_common import Session, check, run_main, server_arguments, start_all

NATIVE = 'urn:xmpp:bookmarks:1'


class Conference(ElementBase):
    """XEP-0402 §3.1 payload."""
    namespace = NATIVE
    name = 'conference'
    plugin_attrib = 'native_conference'
    interfaces = {'name', 'autojoin', 'nick'}
    sub_interfaces = {'nick'}


register_stanza_plugin(Item, Conference)


def legacy_rooms(bookmarks) -> list[tuple[str, str, str, bool]]:
    return sorted((str(c['jid']), c['name'], c['nick'], c['autojoin']) for c in bookmarks['conferences'])


async def scenario(port: int, cafile: str, timeout: float) -> str:
    legacy = Session('alice@localhost/legacy', 'alice-secret', cafile, ['xep_0048', 'xep_0049', 'xep_0060', 'xep_0223'])
    native = Session('alice@localhost/native', 'alice-secret', cafile, ['xep_0060', 'xep_0223'])
    try:
        await start_all([legacy], port, timeout)
        bookmarks = Bookmarks()
        bookmarks.add_conference('lobby@conference.localhost', 'alice', name='Lobby', autojoin=True)
        await legacy['xep_0048'].set_bookmarks(bookmarks, method='xep_0049', timeout=timeout)

        await start_all([native], port, timeout)
        bookmarks.add_conference('garden@conference.localhost', 'al', name='Garden', autojoin=False)
        await legacy['xep_0048'].set_bookmarks(bookmarks, method='xep_0049', timeout=timeout)
        items = await native['xep_0060'].get_items(native.boundjid.bare, NATIVE, timeout=timeout)
        rooms = sorted((item['id'], item['native_conference']['name'], item['native_conference']['nick']) for item in items['pubsub']['items'])
        check(rooms == [('garden@conference.localhost', 'Garden', 'al'), ('lobby@conference.localhost', 'Lobby', 'alice')], f'native items {rooms}')

        conference = Conference()
        conference['name'] = 'Kitchen'
        conference['autojoin'] = 'true'
        conference['nick'] = 'ally'
        await native['xep_0223'].store(conference, node=NATIVE, id='kitchen@conference.localhost', timeout=timeout)
        expected = [('garden@conference.localhost', 'Garden', 'al', False), ('kitchen@conference.localhost', 'Kitchen', 'ally', True),
                    ('lobby@conference.localhost', 'Lobby', 'alice', True)]
        private = await legacy['xep_0048'].get_bookmarks(method='xep_0049', timeout=timeout)
        check(legacy_rooms(private['private']['bookmarks']) == expected, f"private storage read {private['private']['bookmarks']}")
        pep = await legacy['xep_0048'].get_bookmarks(method='xep_0223', timeout=timeout)
        check(legacy_rooms(pep['pubsub']['items']['item']['bookmarks']) == expected, f'the legacy PEP node read {pep}')
        return 'OK: legacy bookmarks seen as native items and events; a native item read by the legacy client both ways'
    finally:
        for session in (legacy, native):
            session.disconnect()


def main() -> int:
    args = server_arguments(__doc__.splitlines()[0]).parse_args()
    return run_main(args, lambda: asyncio.wait_for(scenario(args.port, args.cafile, args.timeout), args.timeout * 2))


if __name__ == '__main__':
    sys.exit(main())
