#!/usr/bin/env python3
"""slixmpp's Message Archive Management plugin (xep_0313) against a Salon server.

paging: alice sends --count chat messages to bob (both online); bob then pages through his
  archive with alice forwards (retrieve with an RSM iterator, pages of --page) and backwards
  (iterate with reverse=True): every message must come exactly once, in order, and the ids seen
  both ways must agree with the stanza ids bob's delivered messages carried (XEP-0359).
itest: what slixmpp's own integration test itests/test_mam.py checks, against two accounts:
  test_mam_retrieve (a reverse iterator page of two, oldest first within the page) and
  test_mam_iterate (reverse iteration one message at a time, newest first).

The server certificate is checked against the PEM file given with --cafile.
Exit status: 0 on success (one line starting with OK on stdout), 1 on any failure or timeout
(with the reason on stderr).
"""
import argparse
import asyncio
import random
import sys

import slixmpp
from slixmpp import JID
from slixmpp_common import Session, check, run_main, server_arguments, start_all, wait_until


class Client(Session):
    """A client with the MAM plugin that keeps the chat messages it receives."""

    def __init__(self, jid: str, password: str, cafile: str) -> None:
        super().__init__(jid, password, cafile, ['xep_0313', 'xep_0359'])
        self.bodies: list[str] = []
        self.stanza_ids: list[str] = []
        self.add_event_handler('message', self.on_message)

    def on_message(self, message: slixmpp.Message) -> None:
        if message['type'] not in ('chat', 'normal') or not message['body']:
            return
        self.bodies.append(message['body'])
        self.stanza_ids.append(message['stanza_id']['id'])


async def paging(alice: Client, bob: Client, count: int, page: int, timeout: float) -> str:
    expected = [f'message {i}' for i in range(count)]
    for body in expected:
        alice.send_message(mto=bob.boundjid.bare, mbody=body, mtype='chat')
    await wait_until(lambda: len(bob.bodies) >= count, timeout, lambda: f'bob received {len(bob.bodies)} of {count}')
    check(bob.bodies == expected, 'bob received the messages out of order')
    check(all(bob.stanza_ids), 'a delivered message carried no stanza id')

    forwards_bodies: list[str] = []
    forwards_ids: list[str] = []
    pages = 0
    async for result in bob['xep_0313'].retrieve(with_jid=JID('alice@localhost'), iterator=True, rsm={'max': page}):
        pages += 1
        for message in result['mam']['results']:
            forwards_ids.append(message['mam_result']['id'])
            forwards_bodies.append(message['mam_result']['forwarded']['stanza']['body'])
    check(forwards_bodies == expected, f'forwards: {len(forwards_bodies)} messages, first {forwards_bodies[:3]}')
    check(forwards_ids == bob.stanza_ids, 'forwards: archive ids differ from the delivered stanza ids')

    backwards_bodies: list[str] = []
    backwards_ids: list[str] = []
    async for message in bob['xep_0313'].iterate(with_jid=JID('alice@localhost'), reverse=True, rsm={'max': page}):
        backwards_ids.append(message['mam_result']['id'])
        backwards_bodies.append(message['mam_result']['forwarded']['stanza']['body'])
    check(backwards_bodies == list(reversed(expected)), f'backwards: {len(backwards_bodies)} messages, first {backwards_bodies[:3]}')
    check(backwards_ids == list(reversed(forwards_ids)), 'backwards: ids differ from forwards')
    return f'OK: {count} messages paged forwards in {pages} pages of {page} and backwards, in order, ids matching the stanza ids'


async def exchange(one: Client, two: Client, tok: int) -> None:
    """Both of test_mam's steps: a message each way, each waited for."""
    seen_two = len(two.bodies)
    one.make_message(mto=two.boundjid, mbody=f'coucou {tok}').send()
    await wait_until(lambda: len(two.bodies) > seen_two, 5, lambda: 'first message not received')
    seen_one = len(one.bodies)
    two.make_message(mto=one.boundjid, mbody=f'coucou coucou {tok}').send()
    await wait_until(lambda: len(one.bodies) > seen_one, 5, lambda: 'second message not received')


async def itest(one: Client, two: Client) -> str:
    # test_mam_retrieve
    tok = random.randint(1, 999999)
    await exchange(one, two, tok)
    msgs = []
    async for rsm in one['xep_0313'].retrieve(with_jid=JID(two.boundjid.bare), iterator=True, reverse=True, rsm={'max': 2}):
        for msg in rsm['mam']['results']:
            msgs.append(msg['mam_result']['forwarded']['stanza'])
        if len(msgs) >= 2:
            break
    check(msgs[0]['body'] == f'coucou {tok}', f'retrieve: first body {msgs[0]["body"]!r}')
    check(msgs[1]['body'] == f'coucou coucou {tok}', f'retrieve: second body {msgs[1]["body"]!r}')
    # test_mam_iterate
    tok = random.randint(1, 999999)
    await exchange(one, two, tok)
    msgs = []
    async for msg in one['xep_0313'].iterate(with_jid=JID(two.boundjid.bare), reverse=True, rsm={'max': 1}):
        msgs.append(msg['mam_result']['forwarded']['stanza'])
        if len(msgs) >= 2:
            break
    check(msgs[0]['body'] == f'coucou coucou {tok}', f'iterate: first body {msgs[0]["body"]!r}')
    check(msgs[1]['body'] == f'coucou {tok}', f'iterate: second body {msgs[1]["body"]!r}')
    return 'OK: test_mam_retrieve and test_mam_iterate pass'


async def run(args: argparse.Namespace) -> str:
    alice = Client('alice@localhost', 'alice-secret', args.cafile)
    bob = Client('bob@localhost', 'bob-secret', args.cafile)
    try:
        await start_all([alice, bob], args.port, args.timeout)
        if args.scenario == 'paging':
            return await asyncio.wait_for(paging(alice, bob, args.count, args.page, args.timeout), args.timeout * 3)
        return await asyncio.wait_for(itest(alice, bob), args.timeout)
    finally:
        for client in (alice, bob):
            client.disconnect()


def main() -> int:
    parser = server_arguments(__doc__.splitlines()[0])
    parser.add_argument('scenario', choices=['paging', 'itest'])
    parser.add_argument('--count', type=int, default=1000)
    parser.add_argument('--page', type=int, default=50)
    args = parser.parse_args()
    return run_main(args, lambda: run(args))


if __name__ == '__main__':
    sys.exit(main())
