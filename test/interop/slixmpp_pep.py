#!/usr/bin/env python3
"""Personal Eventing (XEP-0163) seen by slixmpp's xep_0060, xep_0222 and xep_0223 plugins.

The scenario of slixmpp's own integration test (itests/test_pep.py), written for this suite:
Alice stores a payload as public data (XEP-0222: publish-options persist_items) with item id
'toto' and reads it back; then as private data (XEP-0223: access_model whitelist) and reads it
back, while Bob's request for that item must fail with an error.

Exit status: 0 on success, 1 on any failure or timeout (with the reason on stderr).
"""
import asyncio
import sys
from uuid import uuid4

from slixmpp.exceptions import IqError
from slixmpp.plugins.xep_0060.stanza import Item
from slixmpp.xmlstream import ElementBase, register_stanza_plugin
from slixmpp_common import Session, check, run_main, server_arguments, start_all


class Payload(ElementBase):
    namespace = 'urn:salon:test:payload'
    name = 'payload'
    plugin_attrib = 'mystanza'
    interfaces = {'test'}


register_stanza_plugin(Item, Payload)

PLUGINS = ['xep_0060', 'xep_0163', 'xep_0222', 'xep_0223']


async def store_and_read(alice: Session, bob: Session, timeout: float) -> None:
    public = Payload()
    public['test'] = uuid4().hex
    try:
        await alice['xep_0060'].delete_node(alice.boundjid.bare, node=public.namespace, timeout=timeout)
    except IqError:
        pass  # no such node yet: item-not-found, as in the original test
    await alice['xep_0222'].store(public, node=public.namespace, id='toto', timeout=timeout)
    fetched = await alice['xep_0222'].retrieve(public.namespace, timeout=timeout)
    check(fetched['pubsub']['items']['item']['mystanza']['test'] == public['test'], f'public data read back: {fetched}')

    private = Payload()
    private['test'] = uuid4().hex
    await alice['xep_0223'].store(private, node='private-random', id='toto', timeout=timeout)
    fetched = await alice['xep_0223'].retrieve('private-random', timeout=timeout)
    check(fetched['pubsub']['items']['item']['mystanza']['test'] == private['test'], f'private data read back: {fetched}')
    try:
        await bob['xep_0060'].get_item(jid=alice.boundjid.bare, node='private-random', item_id='toto', timeout=timeout)
    except IqError as error:
        check(error.condition == 'not-allowed', f'bob refused with {error.condition}')
    else:
        raise AssertionError('bob read private data')


async def scenario(port: int, cafile: str, timeout: float) -> str:
    alice = Session('alice@localhost/pep', 'alice-secret', cafile, PLUGINS)
    bob = Session('bob@localhost/pep', 'bob-secret', cafile, PLUGINS)
    try:
        await start_all([alice, bob], port, timeout)
        await asyncio.wait_for(store_and_read(alice, bob, timeout), timeout)
        return 'OK: public and private PEP data stored and read; private data refused to another user'
    finally:
        for session in (alice, bob):
            session.disconnect()


def main() -> int:
    args = server_arguments(__doc__.splitlines()[0]).parse_args()
    return run_main(args, lambda: scenario(args.port, args.cafile, args.timeout))


if __name__ == '__main__':
    sys.exit(main())
