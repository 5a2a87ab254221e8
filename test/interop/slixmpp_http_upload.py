#!/usr/bin/env python3
"""HTTP File Upload (XEP-0363) with slixmpp's xep_0363 plugin against a Salon server.

Alice finds the upload service as the plugin's find_upload_service does (disco#items of her
server, disco#info of each item, the store/file identity and the feature; max-file-size from the
form). slixmpp 1.8.3's own discovery (xep_0030 get_info_from_domain) passes coroutines to
asyncio.wait, which Python 3.11 refuses, so the script does those steps with xep_0030's queries
and hands the result to the plugin. The plugin then requests a slot and PUTs a small text file
with aiohttp; the script GETs the URL it was given and compares the bytes. A second file larger
than the announced limit must be refused by the plugin itself (FileTooBig), from that form.

Exit status: 0 on success, 1 on any failure or timeout (with the reason on stderr).
"""
import sys
from io import BytesIO

import aiohttp
from slixmpp.plugins.xep_0363 import FileTooBig
from slixmpp_common import Session, check, run_main, server_arguments

DATA = 'Salon says hello over HTTP File Upload.\n'.encode()


async def discover(alice: Session, timeout: float) -> None:
    """find_upload_service and the form reading of upload_file, step by step."""
    plugin = alice['xep_0363']
    items = await alice['xep_0030'].get_items(jid='localhost', timeout=timeout)
    for item in items['disco_items']['items']:
        info = await alice['xep_0030'].get_info(jid=item[0], timeout=timeout)
        identities = [(i[0], i[1]) for i in info['disco_info']['identities']]
        if ('store', 'file') in identities and 'urn:xmpp:http:upload:0' in info['disco_info']['features']:
            plugin.upload_service = info['from']
            for form in info['disco_info'].iterables:
                values = form['values']
                if values['FORM_TYPE'] == ['urn:xmpp:http:upload:0']:
                    plugin.max_file_size = int(values['max-file-size'])
            return
    raise AssertionError(f'no upload service among {items["disco_items"]["items"]}')


async def upload(port: int, cafile: str, timeout: float, limit: int) -> str:
    alice = Session('alice@localhost/upload', 'alice-secret', cafile, ['xep_0363'])
    try:
        await alice.start(port, timeout)
        await discover(alice, timeout)
        url = await alice['xep_0363'].upload_file(
            'hello.txt', input_file=BytesIO(DATA), size=len(DATA), content_type='text/plain', domain='localhost', timeout=timeout)
        check(alice['xep_0363'].upload_service == 'upload.localhost',
              f'found service {alice["xep_0363"].upload_service}')
        check(alice['xep_0363'].max_file_size == limit, f'max-file-size {alice["xep_0363"].max_file_size}')
        async with aiohttp.ClientSession() as session:
            async with session.get(url) as response:
                body = await response.read()
                check(response.status == 200, f'GET {url}: {response.status}')
                check(response.headers.get('Content-Type') == 'text/plain', f'type {response.headers.get("Content-Type")}')
        check(body == DATA, f'downloaded {body!r}')
        try:
            await alice['xep_0363'].upload_file('big.bin', input_file=BytesIO(b'x' * (limit + 1)), domain='localhost', timeout=timeout)
            raise AssertionError('a file over max-file-size was uploaded')
        except FileTooBig:
            pass
        return f'OK: uploaded and downloaded {len(DATA)} bytes via {url}'
    finally:
        alice.disconnect()


def main() -> int:
    parser = server_arguments(__doc__)
    parser.add_argument('--limit', type=int, required=True, help='the service\'s http_file_share_size_limit')
    args = parser.parse_args()
    return run_main(args, lambda: upload(args.port, args.cafile, args.timeout, args.limit))


if __name__ == '__main__':
    sys.exit(main())
