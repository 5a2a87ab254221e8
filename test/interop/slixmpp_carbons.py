#!/usr/bin/env python3
"""Message Carbons (XEP-0280) seen by slixmpp's xep_0280 plugin against a Salon server.

Alice is online twice (resources 'a' and 'b'), both with carbons enabled; Bob is online once.
Alice's 'a' sends Bob a chat message: 'b' must get it as a <sent/> carbon. Bob then writes to
Alice's full JID '.../a': 'b' must get it as a <received/> carbon. slixmpp accepts carbons only
from the account's own bare JID (XEP-0280 §11), so an event means the carbon was well formed.

Exit status: 0 on success, 1 on any failure or timeout (with the reason on stderr).
"""
import argparse
import asyncio
import logging
import sys

import slixmpp


class Peer(slixmpp.ClientXMPP):
    """Logs in, enables carbons, sends initial presence and records carbons and messages."""

    def __init__(self, jid: str, password: str, cafile: str) -> None:
        super().__init__(jid, password)
        self.ca_certs = cafile
        self.register_plugin('xep_0280')
        self.online = asyncio.Event()
        self.failure: str | None = None
        self.sent: list[tuple[str, str]] = []
        self.received: list[tuple[str, str]] = []
        self.messages: list[tuple[str, str]] = []
        self.add_event_handler('session_start', self.on_session_start)
        self.add_event_handler('carbon_sent', self.on_sent)
        self.add_event_handler('carbon_received', self.on_received)
        self.add_event_handler('message', self.on_message)
        self.add_event_handler('failed_all_auth', self.on_failure)
        self.add_event_handler('connection_failed', self.on_failure)

    async def on_session_start(self, _event: object) -> None:
        await self['xep_0280'].enable()
        self.send_presence()
        self.online.set()

    def on_sent(self, carbon: slixmpp.Message) -> None:
        inner = carbon['carbon_sent']
        self.sent.append((str(inner['to']), inner['body']))

    def on_received(self, carbon: slixmpp.Message) -> None:
        inner = carbon['carbon_received']
        self.received.append((str(inner['from']), inner['body']))

    def on_message(self, message: slixmpp.Message) -> None:
        if message['body']:
            self.messages.append((str(message['from']), message['body']))

    def on_failure(self, event: object) -> None:
        self.failure = f'{self.boundjid}: {event}'
        self.online.set()


async def wait_until(condition, timeout: float, what) -> None:
    """Polls `condition` until it holds, failing after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(what())
        await asyncio.sleep(0.05)


async def carbons(port: int, cafile: str, timeout: float) -> None:
    a = Peer('alice@localhost/a', 'alice-secret', cafile)
    b = Peer('alice@localhost/b', 'alice-secret', cafile)
    bob = Peer('bob@localhost/desk', 'bob-secret', cafile)
    peers = (a, b, bob)
    try:
        for peer in peers:
            peer.connect(('127.0.0.1', port))
        await asyncio.wait_for(asyncio.gather(*(peer.online.wait() for peer in peers)), timeout)
        for peer in peers:
            if peer.failure is not None:
                raise RuntimeError(f'login failed: {peer.failure}')

        a.send_message(mto='bob@localhost', mbody='sent from a', mtype='chat')
        await wait_until(lambda: ('bob@localhost', 'sent from a') in b.sent, timeout,
                         lambda: f'b saw sent carbons {b.sent}')
        await wait_until(lambda: any(body == 'sent from a' for _, body in bob.messages), timeout,
                         lambda: f'bob got {bob.messages}')

        bob.send_message(mto='alice@localhost/a', mbody='to a only', mtype='chat')
        await wait_until(lambda: ('bob@localhost/desk', 'to a only') in b.received, timeout,
                         lambda: f'b saw received carbons {b.received}')
        await wait_until(lambda: ('bob@localhost/desk', 'to a only') in a.messages, timeout,
                         lambda: f'a got {a.messages}')
        if a.sent or a.received:
            raise AssertionError(f'the sending / addressed resource got carbons: {a.sent} {a.received}')
        if any(body == 'to a only' for _, body in b.messages):
            raise AssertionError('b got the original of a message addressed to a')
    finally:
        for peer in peers:
            peer.disconnect()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--port', type=int, required=True, help='the c2s port (STARTTLS)')
    parser.add_argument('--cafile', required=True, help='PEM certificate the server presents')
    parser.add_argument('--timeout', type=float, default=10.0)
    parser.add_argument('--debug', action='store_true')
    args = parser.parse_args()
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.ERROR, stream=sys.stderr)
    try:
        asyncio.run(carbons(args.port, args.cafile, args.timeout))
    except Exception as error:  # every failure becomes a non-zero exit with its reason
        print(f'FAILED: {type(error).__name__}: {error}', file=sys.stderr)
        return 1
    print('OK: b got the sent and the received carbon')
    return 0


if __name__ == '__main__':
    sys.exit(main())
