#!/usr/bin/env python3
"""Delay stamps on redelivery (XEP-0198 with XEP-0203) seen by slixmpp against a Salon server.

Alice logs in with stream management and resumption (xep_0198) and reads delays (xep_0203). Her
TCP connection is cut without a closing stream; Bob sends her a message; more than a second
later Alice connects again and slixmpp resumes the session. The redelivered message must carry
a delay from alice@localhost whose stamp is when the server queued it (while Bob sent it), not
when Alice came back.

Exit status: 0 on success, 1 on any failure or timeout (with the reason on stderr).
"""
import asyncio
import datetime
import sys

import slixmpp
from slixmpp_common import Session, check, run_main, server_arguments, start_all, wait_until


class Peer(Session):
    """Logs in and records the messages it receives."""

    def __init__(self, jid: str, password: str, cafile: str, stream_management: bool) -> None:
        super().__init__(jid, password, cafile, ['xep_0199', 'xep_0203', 'xep_0198'] if stream_management else ['xep_0199'])
        self.sm_enabled = asyncio.Event()
        self.resumed = asyncio.Event()
        self.messages: list[slixmpp.Message] = []
        self.add_event_handler('sm_enabled', lambda _: self.sm_enabled.set())
        self.add_event_handler('session_resumed', lambda _: self.resumed.set())
        self.add_event_handler('sm_failed', self.on_failure)
        self.add_event_handler('message', self.on_message)

    def on_message(self, message: slixmpp.Message) -> None:
        if message['body']:
            self.messages.append(message)

    def on_failure(self, event: object) -> None:
        super().on_failure(event)
        self.resumed.set()


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


async def resume_with_delay(port: int, cafile: str, timeout: float) -> str:
    alice = Peer('alice@localhost/phone', 'alice-secret', cafile, True)
    bob = Peer('bob@localhost/desk', 'bob-secret', cafile, False)
    peers = (alice, bob)
    try:
        await start_all(peers, port, timeout)
        await asyncio.wait_for(alice.sm_enabled.wait(), timeout)

        # The network goes away: no </stream:stream>, no TCP close handshake.
        alice.transport.abort()
        await wait_until(lambda: alice.transport is None, timeout, lambda: 'the transport did not go away')
        sent_from = now().replace(microsecond=0)
        message = bob.make_message(mto='alice@localhost/phone', mbody='while away', mtype='chat')
        message['id'] = 'away1'
        message.send()
        # A round trip of Bob's: his message has been routed (queued for Alice) by then.
        await bob['xep_0199'].ping(jid='localhost', timeout=timeout)
        sent_until = now()
        await asyncio.sleep(1.2)  # a stamp of the resumption time would be a later second

        resumed_at = now()
        alice.connect(('127.0.0.1', port))
        await asyncio.wait_for(alice.resumed.wait(), timeout)
        if alice.failure is not None:
            raise RuntimeError(f'resumption failed: {alice.failure}')
        await wait_until(lambda: len(alice.messages) >= 1, timeout, lambda: 'the message was not redelivered')
        got = alice.messages[0]
        check(got['id'] == 'away1', f'unexpected message {got}')
        stamp = got['delay']['stamp']
        check(stamp is not None, f'no delay on the redelivered message: {got}')
        check(str(got['delay']['from']) == 'alice@localhost', f'delay from {got["delay"]["from"]}')
        check(sent_from <= stamp <= sent_until, f'stamp {stamp} is not when the message was sent ({sent_from} .. {sent_until})')
        check(resumed_at - stamp >= datetime.timedelta(seconds=1), f'stamp {stamp} is not before the resumption at {resumed_at}')
        print(f'delay: from={got["delay"]["from"]}; queued before resumption')
        return 'OK: the redelivered message says when it was queued'
    finally:
        for peer in peers:
            peer.disconnect()


def main() -> int:
    args = server_arguments(__doc__.splitlines()[0]).parse_args()
    return run_main(args, lambda: resume_with_delay(args.port, args.cafile, args.timeout))


if __name__ == '__main__':
    sys.exit(main())
