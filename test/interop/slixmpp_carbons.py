#!/usr/bin/env python3
"""Message Carbons (XEP-0280) seen by slixmpp's xep_0280 plugin against a Salon server.

Alice is online twice (resources 'a' and 'b'), both with carbons enabled; Bob is online once.
Alice's 'a' sends Bob a chat message: 'b' must get it as a <sent/> carbon. Bob then writes to
Alice's full JID '.../a': 'b' must get it as a <received/> carbon. slixmpp accepts carbons only
from the account's own bare JID (XEP-0280 §11), so an event means the carbon was well formed.

Exit status: 0 on success, 1 on any failure or timeout (with the reason on stderr).
"""
import sys

import slixmpp
from slixmpp_common import Session, run_main, server_arguments, start_all, wait_until


class Peer(Session):
    """Logs in, enables carbons, sends initial presence and records carbons and messages."""

    def __init__(self, jid: str, password: str, cafile: str) -> None:
        super().__init__(jid, password, cafile, ['xep_0280'])
        self.sent: list[tuple[str, str]] = []
        self.received: list[tuple[str, str]] = []
        self.messages: list[tuple[str, str]] = []
        self.add_event_handler('carbon_sent', self.on_sent)
        self.add_event_handler('carbon_received', self.on_received)
        self.add_event_handler('message', self.on_message)

    async def on_session_start(self, event: object) -> None:
        await self['xep_0280'].enable()
        super().on_session_start(event)

    def on_sent(self, carbon: slixmpp.Message) -> None:
        inner = carbon['carbon_sent']
        self.sent.append((str(inner['to']), inner['body']))

    def on_received(self, carbon: slixmpp.Message) -> None:
        inner = carbon['carbon_received']
        self.received.append((str(inner['from']), inner['body']))

    def on_message(self, message: slixmpp.Message) -> None:
        if message['body']:
            self.messages.append((str(message['from']), message['body']))


async def carbons(port: int, cafile: str, timeout: float) -> str:
    a = Peer('alice@localhost/a', 'alice-secret', cafile)
    b = Peer('alice@localhost/b', 'alice-secret', cafile)
    bob = Peer('bob@localhost/desk', 'bob-secret', cafile)
    peers = (a, b, bob)
    try:
        await start_all(peers, port, timeout)

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
        return 'OK: b got the sent and the received carbon'
    finally:
        for peer in peers:
            peer.disconnect()


def main() -> int:
    args = server_arguments(__doc__.splitlines()[0]).parse_args()
    return run_main(args, lambda: carbons(args.port, args.cafile, args.timeout))


if __name__ == '__main__':
    sys.exit(main())
