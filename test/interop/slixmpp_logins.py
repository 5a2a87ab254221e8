#!/usr/bin/env python3
"""One slixmpp client logs in and out many times in a row from one address, with its defaults.

Each cycle is a new ClientXMPP: connect (STARTTLS on the client port), SASL with the mechanism
order slixmpp picks itself, resource binding, session start, then disconnect. The only setting
given is the CA file that makes the server's self-signed certificate trusted.

On success prints one JSON line: the number of logins, the SASL failures slixmpp saw (each
<failure/> the server answered an <auth/> with), their conditions, and the mechanisms that
succeeded. Exit status: 0 when every login succeeded, 1 otherwise (the reason on stderr).
"""
import argparse
import asyncio
import collections
import json
import logging
import sys

import slixmpp


class Client(slixmpp.ClientXMPP):
    """Logs in once; records SASL failures and the mechanism that succeeded."""

    def __init__(self, jid: str, password: str, cafile: str) -> None:
        super().__init__(jid, password)
        self.ca_certs = cafile
        self.outcome: asyncio.Future = asyncio.get_running_loop().create_future()
        self.gone = asyncio.Event()
        self.sasl_failures: list[str] = []
        self.mechanism: str | None = None
        self.add_event_handler('failed_auth', self.on_failed_auth)
        self.add_event_handler('auth_success', self.on_auth_success)
        self.add_event_handler('session_start', self.on_session_start)
        self.add_event_handler('failed_all_auth', lambda _: self.finish('all SASL mechanisms failed'))
        self.add_event_handler('connection_failed', lambda event: self.finish(f'connection failed: {event}'))
        self.add_event_handler('disconnected', self.on_disconnected)

    def on_failed_auth(self, stanza: slixmpp.ElementBase) -> None:
        self.sasl_failures.append(f"{self['feature_mechanisms'].mech.name}: {stanza['condition']}")

    def on_auth_success(self, _stanza: slixmpp.ElementBase) -> None:
        self.mechanism = self['feature_mechanisms'].mech.name

    def on_session_start(self, _event: object) -> None:
        self.finish(None)

    def on_disconnected(self, _event: object) -> None:
        self.gone.set()
        self.finish('disconnected before the session started')

    def finish(self, error: str | None) -> None:
        if not self.outcome.done():
            self.outcome.set_result(error)


async def login_once(port: int, jid: str, password: str, cafile: str, timeout: float) -> Client:
    client = Client(jid, password, cafile)
    client.connect(('127.0.0.1', port))
    try:
        error = await asyncio.wait_for(client.outcome, timeout)
    except asyncio.TimeoutError:
        error = f'no session within {timeout} s'
    if error is None:
        client.disconnect()
        await asyncio.wait_for(client.gone.wait(), timeout)
    else:
        client.abort()
        raise RuntimeError(f'{error} (SASL failures: {client.sasl_failures})')
    return client


async def main(args: argparse.Namespace) -> dict:
    failures: collections.Counter[str] = collections.Counter()
    mechanisms: collections.Counter[str] = collections.Counter()
    for attempt in range(1, args.count + 1):
        try:
            client = await login_once(args.port, args.jid, args.password, args.cafile, args.timeout)
        except (RuntimeError, asyncio.TimeoutError) as error:
            raise RuntimeError(f'login {attempt} of {args.count} failed: {error}') from error
        failures.update(client.sasl_failures)
        mechanisms[client.mechanism or 'unknown'] += 1
    return {
        'logins': args.count,
        'saslFailures': sum(failures.values()),
        'saslFailuresByKind': dict(failures),
        'mechanisms': dict(mechanisms),
    }


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--port', type=int, required=True, help='the client (STARTTLS) port')
    parser.add_argument('--cafile', required=True, help='PEM certificate to trust')
    parser.add_argument('--jid', default='alice@localhost')
    parser.add_argument('--password', default='alice-secret')
    parser.add_argument('--count', type=int, default=200)
    parser.add_argument('--timeout', type=float, default=10.0, help='seconds allowed for each step')
    parser.add_argument('--debug', action='store_true', help="show slixmpp's own log on stderr")
    arguments = parser.parse_args()
    logging.basicConfig(level=logging.DEBUG if arguments.debug else logging.CRITICAL)
    try:
        report = asyncio.run(main(arguments))
    except RuntimeError as failure:
        print(failure, file=sys.stderr)
        sys.exit(1)
    print(json.dumps(report))
