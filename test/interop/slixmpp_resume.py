#!/usr/bin/env python3
"""Stream management (XEP-0198) seen by slixmpp's xep_0198 plugin against a Salon server.

Alice logs in with stream management and resumption enabled; Bob sends her three messages. Her
TCP connection is then cut without a closing stream (the transport is aborted, as a lost
network would), Bob sends three more, and Alice connects again: slixmpp resumes the session
with <resume/>. Every message, before and after the cut, must reach her exactly once.

Exit status: 0 on success, 1 on any failure or timeout (with the reason on stderr).
"""
import asyncio
import sys

import slixmpp
from slixmpp_common import Session, run_main, server_arguments, start_all, wait_until


class Peer(Session):
    """Logs in, sends initial presence and records the messages it receives."""

    def __init__(self, jid: str, password: str, cafile: str, stream_management: bool) -> None:
        super().__init__(jid, password, cafile, ['xep_0199', 'xep_0198'] if stream_management else ['xep_0199'])
        self.sm_enabled = asyncio.Event()
        self.resumed = asyncio.Event()
        self.messages: list[tuple[str, str]] = []
        self.add_event_handler('sm_enabled', lambda _: self.sm_enabled.set())
        self.add_event_handler('session_resumed', lambda _: self.resumed.set())
        self.add_event_handler('sm_failed', self.on_failure)
        self.add_event_handler('message', self.on_message)

    def on_message(self, message: slixmpp.Message) -> None:
        if message['body']:
            self.messages.append((message['id'], message['body']))

    def on_failure(self, event: object) -> None:
        super().on_failure(event)
        self.resumed.set()


def send_numbered(sender: Peer, n: int, body: str) -> None:
    message = sender.make_message(mto='alice@localhost/phone', mbody=body, mtype='chat')
    message['id'] = f'm{n}'
    message.send()


async def resume(port: int, cafile: str, timeout: float) -> str:
    alice = Peer('alice@localhost/phone', 'alice-secret', cafile, True)
    bob = Peer('bob@localhost/desk', 'bob-secret', cafile, False)
    peers = (alice, bob)
    try:
        await start_all(peers, port, timeout)
        await asyncio.wait_for(alice.sm_enabled.wait(), timeout)

        for n in (1, 2, 3):
            send_numbered(bob, n, f'before {n}')
        await wait_until(lambda: len(alice.messages) >= 3, timeout, lambda: f'alice got {alice.messages}')

        # The network goes away: no </stream:stream>, no TCP close handshake.
        alice.transport.abort()
        await wait_until(lambda: alice.transport is None, timeout, lambda: 'the transport did not go away')
        for n in (4, 5, 6):
            send_numbered(bob, n, f'while away {n}')
        # A round trip of Bob's: his messages have been routed (queued for Alice) by then.
        await bob['xep_0199'].ping(jid='localhost', timeout=timeout)

        alice.connect(('127.0.0.1', port))
        await asyncio.wait_for(alice.resumed.wait(), timeout)
        if alice.failure is not None:
            raise RuntimeError(f'resumption failed: {alice.failure}')
        await wait_until(lambda: len(alice.messages) >= 6, timeout, lambda: f'alice got {alice.messages}')
        await asyncio.sleep(0.5)  # anything delivered twice would arrive by now
        ids = [message_id for message_id, _ in alice.messages]
        if sorted(ids) != ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'] or ids[3:] != ['m4', 'm5', 'm6']:
            raise AssertionError(f'expected m1..m6 once each, in order after the cut; got {alice.messages}')
        print(f'messages: {len(ids)}; ids: {" ".join(ids)}')
        return 'OK: the session was resumed and every message arrived exactly once'
    finally:
        for peer in peers:
            peer.disconnect()


def main() -> int:
    args = server_arguments(__doc__.splitlines()[0]).parse_args()
    return run_main(args, lambda: resume(args.port, args.cafile, args.timeout))


if __name__ == '__main__':
    sys.exit(main())
