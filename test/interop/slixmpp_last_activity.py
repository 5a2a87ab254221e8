#!/usr/bin/env python3
"""Last Activity (XEP-0012) seen by slixmpp's xep_0012 plugin against a Salon server.

Alice and Bob are contacts (subscription both); Carol is a stranger. As in slixmpp's own
integration test (itests/test_last_activity.py), Alice's client sets its idle time and Bob asks
her full JID: her client answers through the server. Then the server's own answers: its uptime
(§5), 0 seconds for Alice while she is online, the status text she logged out with once she is
gone, and `forbidden` for Carol.

Exit status: 0 on success, 1 on any failure or timeout (with the reason on stderr).
"""
import sys

import slixmpp
from slixmpp.exceptions import IqError
from slixmpp_common import Session, check, run_main, server_arguments, start_all, wait_until


class Peer(Session):
    """Logs in with xep_0012 and records the unavailable presence it receives."""

    def __init__(self, jid: str, password: str, cafile: str) -> None:
        super().__init__(jid, password, cafile, ['xep_0012'])
        self.gone: list[str] = []
        self.add_event_handler('presence_unavailable', self.on_unavailable)

    def on_unavailable(self, presence: slixmpp.Presence) -> None:
        self.gone.append(str(presence['from']))


async def last_activity(port: int, cafile: str, timeout: float) -> str:
    alice = Peer('alice@localhost/desk', 'alice-secret', cafile)
    bob = Peer('bob@localhost/desk', 'bob-secret', cafile)
    carol = Peer('carol@localhost/desk', 'carol-secret', cafile)
    peers = (alice, bob, carol)
    try:
        await start_all(peers, port, timeout)

        # The upstream scenario: a client's own answer for its full JID.
        await alice['xep_0012'].set_last_activity(status='coucou', seconds=4242)
        idle = await bob['xep_0012'].get_last_activity(alice.boundjid.full, timeout=timeout)
        check(idle['last_activity']['status'] == 'coucou', f'idle status {idle}')
        check(4241 < idle['last_activity']['seconds'] < 4250, f'idle seconds {idle}')

        uptime = await bob['xep_0012'].get_last_activity('localhost', timeout=timeout)
        check(0 <= uptime['last_activity']['seconds'] < 60, f'uptime {uptime}')

        online = await bob['xep_0012'].get_last_activity('alice@localhost', timeout=timeout)
        check(online['from'] == 'alice@localhost', f'answered by {online["from"]}')
        # §3: an empty query (slixmpp reads its absent text as None).
        check(online['last_activity']['seconds'] == 0 and not online['last_activity']['status'], f'online {online}')

        try:
            await carol['xep_0012'].get_last_activity('alice@localhost', timeout=timeout)
            raise AssertionError('a stranger learnt when alice was last online')
        except IqError as error:
            check(error.condition == 'forbidden', f'carol got {error.condition}')

        alice.send_presence(ptype='unavailable', pstatus='gone fishing')
        await wait_until(lambda: 'alice@localhost/desk' in bob.gone, timeout, lambda: f'bob saw {bob.gone}')
        alice.disconnect()
        offline = await bob['xep_0012'].get_last_activity('alice@localhost', timeout=timeout)
        check(offline['last_activity']['status'] == 'gone fishing', f'offline status {offline}')
        check(0 <= offline['last_activity']['seconds'] < 10, f'offline seconds {offline}')
        return 'OK: client idle time, server uptime, online and offline contact, stranger refused'
    finally:
        for peer in peers:
            peer.disconnect()


def main() -> int:
    args = server_arguments(__doc__.splitlines()[0]).parse_args()
    return run_main(args, lambda: last_activity(args.port, args.cafile, args.timeout))


if __name__ == '__main__':
    sys.exit(main())
