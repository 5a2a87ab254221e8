#!/usr/bin/env python3
"""slixmpp clients that report what they receive, driven by a test over stdin and stdout.

Each line on stdin is a JSON command; each line on stdout is a JSON event:
  {"cmd": "login", "jid": "bob@localhost", "password": "...", "resource": "r"}
      -> {"event": "online", "jid": "bob@localhost/r"}
  {"cmd": "raw", "jid": "bob@localhost/r", "xml": "<presence .../>"}   (sent as written)
  {"cmd": "ping", "jid": "bob@localhost/r"}
      -> {"event": "pong", "jid": ...} or {"event": "ping-failed", "jid": ..., "error": ...}
  {"cmd": "quit"}
Every stanza a client receives is reported as {"event": "stanza", "jid": ..., "xml": {tag, attrs,
children}} with namespaces resolved by slixmpp's own (expat) parser, and a lost connection as
{"event": "disconnected", "jid": ..., "reason": ...}. A server that sends XML which is not
namespace-well-formed makes slixmpp log a parse error and drop the connection: the test sees it.
The server certificate is checked against the PEM file given with --cafile.
"""
import asyncio
import json
import logging
import sys

import slixmpp
from slixmpp_common import Session, server_arguments


def emit(event: dict) -> None:
    sys.stdout.write(json.dumps(event) + '\n')
    sys.stdout.flush()


def describe(element) -> dict:
    """An ElementTree element as JSON: `{uri}local` tags, attributes, children (text left out)."""
    return {'tag': element.tag, 'attrs': dict(element.attrib), 'children': [describe(child) for child in element]}


class Observer(Session):
    def __init__(self, jid: str, password: str, cafile: str) -> None:
        super().__init__(jid, password, cafile, ['xep_0199'])
        self.add_event_handler('disconnected', self.on_disconnected)
        self.add_filter('in', self.report)

    def on_failure(self, event: object) -> None:
        super().on_failure(event)
        self.failure = str(event)  # the test reads the reason alone

    def on_disconnected(self, reason: object) -> None:
        emit({'event': 'disconnected', 'jid': str(self.boundjid), 'reason': str(reason)})

    def report(self, stanza):
        emit({'event': 'stanza', 'jid': str(self.boundjid), 'xml': describe(stanza.xml)})
        return stanza


async def run(port: int, cafile: str) -> None:
    loop = asyncio.get_running_loop()
    clients: dict[str, Observer] = {}
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if line == '':
            break
        command = json.loads(line)
        kind = command['cmd']
        if kind == 'quit':
            break
        if kind == 'login':
            client = Observer(f"{command['jid']}/{command['resource']}", command['password'], cafile)
            client.connect(('127.0.0.1', port))
            await asyncio.wait_for(client.ready.wait(), 10)
            if client.failure is not None:
                emit({'event': 'login-failed', 'jid': command['jid'], 'error': client.failure})
                continue
            clients[str(client.boundjid)] = client
            emit({'event': 'online', 'jid': str(client.boundjid)})
        elif kind == 'raw':
            clients[command['jid']].send_raw(command['xml'])
        elif kind == 'ping':
            client = clients[command['jid']]
            try:
                await client.plugin['xep_0199'].ping(jid=slixmpp.JID(client.boundjid.domain), timeout=5)
                emit({'event': 'pong', 'jid': command['jid']})
            except Exception as error:  # the test reads the failure from the event
                emit({'event': 'ping-failed', 'jid': command['jid'], 'error': repr(error)})
    for client in clients.values():
        client.disconnect()


def main() -> int:
    args = server_arguments(__doc__.splitlines()[0]).parse_args()
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.CRITICAL, stream=sys.stderr)
    asyncio.run(run(args.port, args.cafile))
    return 0


if __name__ == '__main__':
    sys.exit(main())
