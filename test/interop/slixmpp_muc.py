#!/usr/bin/env python3
"""slixmpp's MUC plugin (xep_0045) against a Salon server, in one of two scenarios.

configure: the client creates a room with join_muc_wait, reads its configuration form with
  get_room_config, changes the room name and submits the form back with set_room_config (slixmpp
  echoes the form's fixed fields, which carry no var), then checks that the change took effect:
  a second get_room_config and the room's disco#info both show the new name.
refused: the client joins a room whose service refuses it (muc_http_auth); join_muc_wait must
  raise PresenceError with the expected condition, not time out.

The server certificate is checked against the PEM file given with --cafile.
Exit status: 0 on success (one line starting with OK on stdout), 1 on any failure or timeout
(with the reason on stderr).
"""
import argparse
import sys

from slixmpp.exceptions import PresenceError
from slixmpp_common import Session, run_main, server_arguments

ROOMCONFIG_NAME = 'muc#roomconfig_roomname'


class Client(Session):
    """A client with the MUC plugin."""

    def __init__(self, jid: str, password: str, cafile: str) -> None:
        super().__init__(jid, password, cafile, ['xep_0030', 'xep_0045'])

    @property
    def muc(self):
        return self.plugin['xep_0045']


def field_value(form, var: str) -> object:
    fields = form.get_fields()
    if var not in fields:
        raise AssertionError(f'the form has no field {var}: {sorted(fields)}')
    return fields[var].get_value()


async def configure(client: Client, room: str, name: str, timeout: float) -> str:
    presence, _subject, _occupants, _history = await client.muc.join_muc_wait(room, 'Owner', timeout=timeout)
    codes = presence['muc']['status_codes']
    if 201 not in codes:
        raise AssertionError(f'expected a new room (status 201), got status codes {sorted(codes)}')
    form = await client.muc.get_room_config(room, timeout=timeout)
    if 'type="fixed"' not in str(form):
        raise AssertionError('the configuration form has no fixed field: the scenario would not test their echo')
    form.set_values({ROOMCONFIG_NAME: name})
    await client.muc.set_room_config(room, form, timeout=timeout)
    again = await client.muc.get_room_config(room, timeout=timeout)
    if field_value(again, ROOMCONFIG_NAME) != name:
        raise AssertionError(f'the room name is {field_value(again, ROOMCONFIG_NAME)!r} after set_room_config')
    info = await client.plugin['xep_0030'].get_info(jid=room, timeout=timeout)
    names = [identity[3] for identity in info['disco_info']['identities'] if identity[0] == 'conference']
    if names != [name]:
        raise AssertionError(f'disco#info names the room {names!r}')
    return f'OK: room {room} created and configured; get_room_config and disco#info name it {name!r}'


async def refused(client: Client, room: str, condition: str, timeout: float) -> str:
    try:
        await client.muc.join_muc_wait(room, 'Guest', timeout=timeout)
    except PresenceError as error:
        if error.condition != condition:
            raise AssertionError(f'join_muc_wait raised PresenceError {error.condition!r}, expected {condition!r}') from error
        return f'OK: join_muc_wait raised PresenceError {error.condition} for {room}'
    raise AssertionError(f'join_muc_wait entered {room}, which should have been refused')


async def run(args: argparse.Namespace) -> str:
    client = Client(args.jid, args.password, args.cafile)
    try:
        await client.start(args.port, args.timeout)
        if args.scenario == 'configure':
            return await configure(client, args.room, args.name, args.timeout)
        return await refused(client, args.room, args.condition, args.timeout)
    finally:
        client.disconnect()


def main() -> int:
    parser = server_arguments(__doc__.splitlines()[0])
    parser.add_argument('scenario', choices=['configure', 'refused'])
    parser.add_argument('--jid', required=True)
    parser.add_argument('--password', required=True)
    parser.add_argument('--room', required=True, help='the room bare JID')
    parser.add_argument('--name', default='Configured by slixmpp', help='configure: the new room name')
    parser.add_argument('--condition', default='not-authorized', help='refused: the expected error condition')
    args = parser.parse_args()
    return run_main(args, lambda: run(args))


if __name__ == '__main__':
    sys.exit(main())
