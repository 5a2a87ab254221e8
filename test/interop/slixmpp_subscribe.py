#!/usr/bin/env python3
"""Two slixmpp clients perform the RFC 6121 subscription handshake against a Salon server.

Alice asks Bob for a subscription; slixmpp's roster answers requests itself (it approves and
subscribes back), so both rosters must reach 'both' and each client must see the other's
available presence. The server certificate is checked against the PEM file given with --cafile.

Exit status: 0 on success, 1 on any failure or timeout (with the reason on stderr).
"""
import argparse
import asyncio
import logging
import sys

import slixmpp


class Peer(slixmpp.ClientXMPP):
    """A client that logs in, fetches its roster, sends initial presence and records presence."""

    def __init__(self, jid: str, password: str, cafile: str) -> None:
        # slixmpp picks its mechanism itself: it tries SCRAM-*-PLUS with tls-unique (undefined on
        # TLS 1.3), then SCRAM with the `y` flag (refused: the server offered -PLUS), then PLAIN.
        super().__init__(jid, password)
        self.ca_certs = cafile
        self.online = asyncio.Event()
        self.failure: str | None = None
        self.available: set[str] = set()
        self.add_event_handler('session_start', self.on_session_start)
        self.add_event_handler('presence_available', self.on_available)
        self.add_event_handler('failed_all_auth', self.on_failure)
        self.add_event_handler('connection_failed', self.on_failure)

    async def on_session_start(self, _event: object) -> None:
        await self.get_roster()
        self.send_presence()
        self.online.set()

    def on_available(self, presence: slixmpp.Presence) -> None:
        self.available.add(presence['from'].bare)

    def on_failure(self, event: object) -> None:
        self.failure = f'{self.boundjid.bare}: {event}'
        self.online.set()

    def subscription(self, contact: str) -> str:
        return self.client_roster[contact]['subscription']


async def wait_until(condition, timeout: float, what: str) -> None:
    """Polls `condition` until it holds, failing after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(what)
        await asyncio.sleep(0.05)


async def handshake(port: int, cafile: str, timeout: float) -> None:
    alice = Peer('alice@localhost', 'alice-secret', cafile)
    bob = Peer('bob@localhost', 'bob-secret', cafile)
    try:
        for peer in (alice, bob):
            peer.connect(('127.0.0.1', port))
        await asyncio.wait_for(asyncio.gather(alice.online.wait(), bob.online.wait()), timeout)
        for peer in (alice, bob):
            if peer.failure is not None:
                raise RuntimeError(f'login failed: {peer.failure}')
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
    finally:
        for peer in (alice, bob):
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
        asyncio.run(handshake(args.port, args.cafile, args.timeout))
    except Exception as error:  # every failure becomes a non-zero exit with its reason
        print(f'FAILED: {type(error).__name__}: {error}', file=sys.stderr)
        return 1
    print('OK: alice and bob are subscribed both ways and see each other online')
    return 0


if __name__ == '__main__':
    sys.exit(main())
