"""A slixmpp session for the avatar scenarios: contacts that approve each other, announce
urn:xmpp:avatar:metadata+notify through entity capabilities (XEP-0115, which the server verifies
with a disco#info query) and record the avatar metadata events they receive."""
from slixmpp_common import Session, wait_until

AVATAR_PLUGINS = ['xep_0060', 'xep_0163', 'xep_0084', 'xep_0115']


class AvatarPeer(Session):
    """Fetches its roster, then announces its capabilities; records avatar metadata events."""

    def __init__(self, jid: str, password: str, cafile: str, plugins: list[str] | None = None) -> None:
        super().__init__(jid, password, cafile, plugins or AVATAR_PLUGINS)
        self.auto_authorize = True
        self.auto_subscribe = True
        self.metadata: list[tuple[str, dict]] = []
        self.add_event_handler('avatar_metadata_publish', self.on_metadata)

    async def on_session_start(self, event: object) -> None:
        await self.get_roster()
        await self['xep_0115'].update_caps()
        super().on_session_start(event)

    def on_metadata(self, message) -> None:
        info = message['pubsub_event']['items']['item']['avatar_metadata']['info']
        self.metadata.append((message['from'].bare, {'id': info['id'], 'bytes': info['bytes'], 'type': info['type']}))


async def befriend(alice: AvatarPeer, bob: AvatarPeer, timeout: float) -> None:
    """Alice asks for Bob's presence; both clients approve, so both subscriptions end as `both`."""
    alice.send_presence(pto='bob@localhost', ptype='subscribe')
    await wait_until(lambda: alice.client_roster['bob@localhost']['subscription'] == 'both'
                     and bob.client_roster['alice@localhost']['subscription'] == 'both', timeout,
                     lambda: f"subscriptions: {alice.client_roster['bob@localhost']['subscription']}")
