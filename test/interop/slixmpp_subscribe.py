#!/usr/bin/env python3
"""Two slixmpp clients perform the RFC 6121 subscription handshake against a Salon server.

Alice asks Bob for a subscription; slixmpp's roster answers requests itself (it approves and
subscribes back), so both rosters must reach 'both' and each client must see the other's
available presence. The server certificate is checked against the PEM file given with --cafile.

Exit status: 0 on success, 1 on any failure or timeout (with the reason on stderr).
"""
import sys

import slixmpp
from slixmpp_common import Session, run_main, server_arguments, start_all, wait_until


class Peer(Session):
    """A client that logs in, fetches its roster, sends initial presence and records presence."""

    def __init__(self, jid: str, password: str, cafile: str) -> None:
        # slixmpp picks its mechanism itself: it tries SCRAM-*-PLUS with tls-unique (undefined on
        # TLS 1.3), then SCRAM with the `y` flag (refused: the server offered -PLUS), then PLAIN.
        super().__init__(jid, password, cafile)
        self.available: set[str] = set()
        self.add_event_handler('presence_available', self.on_available)

    async def on_session_start(self, event: object) -> None:
        await self.get_roster()
        super().on_session_start(event)

    def on_available(self, presence: slixmpp.Presence) -> None:
        self.available.add(presence['from'].bare)

    def subscription(self, contact: str) -> str:
        return self.client_roster[contact]['subscription']


async def handshake(port: int, cafile: str, timeout: float) -> str:
    alice = Peer('alice@localhost', 'alice-secret', cafile)
    bob = Peer('bob@localhost', 'bob-secret', cafile)
    try:
        await start_all([alice, bob], port, timeout)
        alice.send_presence_subscription(pto='bob@localhost')
        await wait_until(
            lambda: alice.subscription('bob@localhost') == 'both' and bob.subscription('alice@localhost') == 'both',
            timeout,
            f"rosters: alice has bob as {alice.subscription('bob@localhost')!r}, "
            f"bob has alice as {bob.subscription('alice@localhost')!r}",
        )
        await wait_until(
            lambda: 'bob@localhost' in alice.available and 'alice@localhost' in bob.available,
            timeout,
            f'presence: alice saw {sorted(alice.available)}, bob saw {sorted(bob.available)}',
        )
        return 'OK: alice and bob are subscribed both ways and see each other online'
    finally:
        for peer in (alice, bob):
            peer.disconnect()


def main() -> int:
    args = server_arguments(__doc__.splitlines()[0]).parse_args()
    return run_main(args, lambda: handshake(args.port, args.cafile, args.timeout))


if __name__ == '__main__':
    sys.exit(main())
