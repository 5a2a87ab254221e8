"""What every interoperability script under test/interop/ shares.

The scripts are run as `python3 test/interop/<script>.py`, so this directory is first on
sys.path and `import slixmpp_common` finds this module from any working directory.

- `Session`: a slixmpp client that trusts the server certificate given with --cafile, sends
  initial presence once its session has started and signals `ready` (or records the failure).
- `server_arguments`: the command line every script takes (--port, --cafile, --timeout, --debug).
- `run_main`: turns a scenario coroutine into the script's exit status and output.
- `wait_until` and `check`: polling and assertions that fail with a readable reason.
"""
import argparse
import asyncio
import logging
import sys
from typing import Awaitable, Callable, Iterable

import slixmpp


class Session(slixmpp.ClientXMPP):
    """Logs in, sends initial presence and sets `ready`; a failed login sets it too, with `failure`."""

    def __init__(self, jid: str, password: str, cafile: str, plugins: Iterable[str] = ()) -> None:
        super().__init__(jid, password)
        self.ca_certs = cafile
        for plugin in plugins:
            self.register_plugin(plugin)
        self.ready = asyncio.Event()
        self.failure: str | None = None
        self.add_event_handler('session_start', self.on_session_start)
        self.add_event_handler('failed_all_auth', self.on_failure)
        self.add_event_handler('connection_failed', self.on_failure)

    def on_session_start(self, _event: object) -> None:
        # Synchronous on purpose: slixmpp runs a coroutine handler later, as a task, and with the
        # presence sent from there its xep_0198 plugin logged inconsistent sequence numbers on
        # resumption. A script that must do something first overrides this with a coroutine.
        self.send_presence()
        self.ready.set()

    def on_failure(self, event: object) -> None:
        self.failure = f'{self.boundjid}: {event}'
        self.ready.set()

    async def start(self, port: int, timeout: float) -> None:
        """Connects and waits for the session; raises when the login failed."""
        await start_all([self], port, timeout)


async def start_all(sessions: Iterable[Session], port: int, timeout: float) -> None:
    """Connects every session at once and waits for all of them; raises on the first failed login."""
    sessions = list(sessions)
    for session in sessions:
        session.connect(('127.0.0.1', port))
    await asyncio.wait_for(asyncio.gather(*(session.ready.wait() for session in sessions)), timeout)
    for session in sessions:
        if session.failure is not None:
            raise RuntimeError(f'login failed: {session.failure}')


async def wait_until(condition: Callable[[], bool], timeout: float, what, interval: float = 0.05) -> None:
    """Polls `condition` until it holds, failing after `timeout` seconds with `what` (text or a function giving it)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(what() if callable(what) else what)
        await asyncio.sleep(interval)


def check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)


def server_arguments(description: str, timeout: float = 10.0) -> argparse.ArgumentParser:
    """The options every script takes; a script adds its own to the parser returned."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--port', type=int, required=True, help='the c2s port (STARTTLS)')
    parser.add_argument('--cafile', required=True, help='PEM certificate the server presents')
    parser.add_argument('--timeout', type=float, default=timeout)
    parser.add_argument('--debug', action='store_true')
    return parser


def run_main(args: argparse.Namespace, scenario: Callable[[], Awaitable[str]]) -> int:
    """Runs `scenario`; prints the line it returns (OK: ...) and exits 0, or the failure on stderr and exits 1."""
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.ERROR, stream=sys.stderr)
    try:
        print(asyncio.run(scenario()))
    except Exception as error:  # every failure becomes a non-zero exit with its reason
        print(f'FAILED: {type(error).__name__}: {error}', file=sys.stderr)
        return 1
    return 0
