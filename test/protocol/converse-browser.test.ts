/**
 * A real web client in a real browser on the shipped defaults: Converse.js in headless Chromium,
 * served by a page server on another origin and port (`http://127.0.0.1:<page port>`), connects
 * to `ws://127.0.0.1:<port>/xmpp-websocket` and then to `http://127.0.0.1:<port>/http-bind`. The
 * server runs with no web option set (no http_default_host, cross_domain_*, consider_*_secure):
 * the `Host` names an address, which the first VirtualHost answers; any origin may connect; and
 * plain HTTP on loopback counts as encrypted (secure_interfaces). Two users per transport log in,
 * join a room on `conference.localhost`, and exchange a groupchat message and a one-to-one
 * message; each page must show the other user's messages. Screenshots go to `test-artifacts/`.
 * Without Chromium the test fails, in CI or not: a browser test that cannot run proves nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { findChromium, launchChromium } from '../helpers/chromium.js';
import { startConversePage, type ConversePageServer } from '../helpers/converse-page.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const ROOM = 'lobby@conference.localhost';
const ARTIFACTS = 'test-artifacts';
const STEP_MS = 20_000;
const chromiumPath = findChromium();

/** The few calls of Converse's API the test makes (it has no published types for them). */
interface ConverseApi {
  connection: { connected(): boolean };
  rooms: { open(jid: string, attrs: Record<string, unknown>, force?: boolean): Promise<ConverseRoom> };
  chats: { open(jid: string, attrs?: Record<string, unknown>, force?: boolean): Promise<unknown> };
}

interface ConverseRoom {
  session: { get(name: string): unknown };
}

/** What the page's plugin puts on its global object. */
interface PageGlobal {
  salonTest?: { api: ConverseApi; room?: ConverseRoom };
}

interface Participant {
  readonly name: 'alice' | 'bob';
  readonly page: Page;
  readonly log: string[];
}

describeConverse();

function describeConverse(): void {
  let browser: Browser;
  let pages: ConversePageServer;
  let server: TestServer;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const started = performance.now();
    await mkdir(ARTIFACTS, { recursive: true });
    if (chromiumPath === undefined) {
      throw new Error('Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH): the browser test cannot run');
    }
    pages = await startConversePage();
    // The shipped defaults: no web-client option at all.
    server = await startTestServer();
    expect(new URL(pages.origin).port).not.toBe(new URL(server.httpUrl!).port);
    browser = await launchChromium(chromiumPath);
    timings.setupMs = Math.round(performance.now() - started);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await pages?.close();
    console.info(`browser test timings (ms): ${JSON.stringify(timings)}`);
  });

  async function open(name: 'alice' | 'bob', transport: 'websocket' | 'bosh'): Promise<Participant> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const log: string[] = [];
    page.on('console', (message) => log.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => log.push(`pageerror: ${error.message}`));
    const port = new URL(server.httpUrl!).port;
    // An address, not a host name: no `Host` header names the XMPP host `localhost`.
    const service = transport === 'websocket' ? `ws://127.0.0.1:${port}/xmpp-websocket` : `http://127.0.0.1:${port}/http-bind`;
    const query = new URLSearchParams({ jid: `${name}@localhost`, password: `${name}-secret`, transport, service });
    await page.goto(`${pages.origin}/?${query.toString()}`);
    return { name, page, log };
  }

  async function step<T>(who: Participant, what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      await who.page.screenshot({ path: `${ARTIFACTS}/converse-failed-${who.name}.png` }).catch(() => undefined);
      throw new Error(`${who.name}: ${what} failed: ${String(error)}\n--- page log ---\n${who.log.slice(-40).join('\n')}`);
    }
  }

  async function connected(who: Participant): Promise<void> {
    await step(who, 'login', () => who.page.waitForFunction(
      () => (globalThis as PageGlobal).salonTest?.api.connection.connected() === true, undefined, { timeout: STEP_MS },
    ));
  }

  async function enterRoom(who: Participant): Promise<void> {
    await step(who, 'entering the room', async () => {
      await who.page.evaluate(async ([room, nick]) => {
        const test = (globalThis as PageGlobal).salonTest!;
        test.room = await test.api.rooms.open(room!, { nick }, true);
      }, [ROOM, who.name]);
      // 5 is Converse's ROOMSTATUS.ENTERED: the join presence came back (XEP-0045 §7.2.2).
      await who.page.waitForFunction(() => (globalThis as PageGlobal).salonTest?.room?.session.get('connection_status') === 5, undefined, { timeout: STEP_MS });
    });
  }

  async function say(who: Participant, selector: string, text: string): Promise<void> {
    await step(who, `sending "${text}"`, async () => {
      const box = who.page.locator(`${selector} textarea.chat-textarea`);
      await box.fill(text, { timeout: STEP_MS });
      await box.press('Enter');
    });
  }

  async function sees(who: Participant, selector: string, text: string): Promise<void> {
    await step(who, `seeing "${text}"`, () => who.page.locator(`${selector} .chat-msg__text`, { hasText: text }).first().waitFor({ timeout: STEP_MS }));
  }

  async function conversation(transport: 'websocket' | 'bosh'): Promise<void> {
    const started = performance.now();
    const alice = await open('alice', transport);
    const bob = await open('bob', transport);
    await connected(alice);
    timings[`${transport}FirstLoginMs`] = Math.round(performance.now() - started);
    await connected(bob);
    await enterRoom(alice);
    await enterRoom(bob);
    const muc = `converse-muc[jid="${ROOM}"]`;
    await say(alice, muc, `hello room from alice over ${transport}`);
    await say(bob, muc, `hello room from bob over ${transport}`);
    await sees(bob, muc, `hello room from alice over ${transport}`);
    await sees(alice, muc, `hello room from bob over ${transport}`);
    await step(alice, 'opening a chat with bob', () => alice.page.evaluate(async () => {
      await (globalThis as PageGlobal).salonTest!.api.chats.open('bob@localhost', {}, true);
    }));
    await say(alice, 'converse-chat[jid="bob@localhost"]', `just for bob over ${transport}`);
    await sees(bob, 'converse-chat[jid="alice@localhost"]', `just for bob over ${transport}`);
    await say(bob, 'converse-chat[jid="alice@localhost"]', `just for alice over ${transport}`);
    await sees(alice, 'converse-chat[jid="bob@localhost"]', `just for alice over ${transport}`);
    await alice.page.screenshot({ path: `${ARTIFACTS}/converse-${transport}-alice.png` });
    await bob.page.screenshot({ path: `${ARTIFACTS}/converse-${transport}-bob.png` });
    timings[`${transport}ConversationMs`] = Math.round(performance.now() - started);
    await alice.page.context().close();
    await bob.page.context().close();
  }

  describe('Converse.js in headless Chromium', () => {
    test('two users over WebSocket: a room message and a one-to-one message each way', async () => {
      await conversation('websocket');
    }, 120_000);

    test('two users over BOSH: a room message and a one-to-one message each way', async () => {
      await conversation('bosh');
    }, 120_000);
  });
}
