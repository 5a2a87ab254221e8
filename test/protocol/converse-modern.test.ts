/**
 * Converse.js's account features on Salon, in headless Chromium over WebSocket: alice and bob
 * are contacts (rosters seeded both ways), the upload component `upload.localhost` runs
 * http_file_share. Converse's own code does the publishing; the test only calls its API or
 * fills its inputs, then waits for what the other page shows:
 * - alice sets an avatar (Converse's `api.vcard.set`, what its profile modal calls: a vCard with
 *   a PHOTO, then a XEP-0153 presence with its hash); bob's page fetches and shows it;
 * - alice bookmarks a room in one browser; her second browser (another context, another
 *   resource), reloaded with its cache cleared, lists the bookmark (PEP `urn:xmpp:bookmarks:1`);
 * - alice picks an image in the chat's file input (XEP-0363 slot, PUT from the browser with
 *   CORS); bob's page shows the image and its URL serves the same bytes.
 * The server runs without TLS, so the upload URL is `http://upload.localhost:<port>/...`, which
 * Chromium resolves to loopback itself (RFC 6761) and whose Host selects the component.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { Component, startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { findChromium, launchChromium } from '../helpers/chromium.js';
import { startConversePage, type ConversePageServer } from '../helpers/converse-page.js';

const ROOM = 'book-club@conference.localhost';
const ARTIFACTS = 'test-artifacts';
const STEP_MS = 15_000;
const chromiumPath = findChromium();

/** A 2×2 PNG (red, green, blue, white), small enough to read in a failure message. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAAMIM/4EAAB/uBfsL2WiLAAAAAElFTkSuQmCC',
  'base64',
);

interface Participant {
  readonly name: string;
  readonly page: Page;
  readonly log: string[];
}

/** The two properties of an `<img>` that say it loaded and decoded (the tsconfig has no DOM types). */
interface LoadedImage {
  readonly complete: boolean;
  readonly naturalWidth: number;
}

/** Converse's bookmark collection: `create` stores locally, `sendBookmarkStanza` publishes. */
interface ConverseBookmarks {
  create(attrs: Record<string, unknown>): Promise<unknown>;
  sendBookmarkStanza(bookmark: unknown): Promise<unknown>;
}

/** What the page's plugin exposes (Converse has no published types for these calls). */
interface PageGlobal {
  salonTest?: {
    api: {
      connection: { connected(): boolean };
      waitUntil(event: string): Promise<unknown>;
      vcard: { set(jid: string, data: Record<string, string>): Promise<unknown> };
      chats: { open(jid: string, attrs?: Record<string, unknown>, force?: boolean): Promise<unknown> };
    };
    converse: {
      state: {
        vcards?: { get(jid: string): { get(name: string): unknown } | undefined };
        bookmarks?: { get(jid: string): { get(name: string): unknown } | undefined };
      };
    };
  };
}

describe('Converse.js: avatar, bookmarks and file upload', () => {
  let browser: Browser;
  let pages: ConversePageServer;
  let server: RunningServer;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    if (chromiumPath === undefined) {
      throw new Error('Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH): the browser test cannot run');
    }
    pages = await startConversePage();
    server = await startServer({
      config: {
        c2s_ports: [0],
        c2s_interfaces: ['127.0.0.1'],
        http_ports: [0],
        http_interfaces: ['127.0.0.1'],
        sasl_iterations: 4096,
        hosts: [VirtualHost('localhost'), Component('conference.localhost', 'muc'), Component('upload.localhost', 'http_file_share')],
      },
      users: { alice: 'alice-secret', bob: 'bob-secret' },
      rosters: 'all',
      tls: false,
      storage: 'memory',
      logger: recordingLogger('info').logger,
    });
    browser = await launchChromium(chromiumPath);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await pages?.close();
  });

  async function open(name: 'alice' | 'bob', label: string = name): Promise<Participant> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const log: string[] = [];
    page.on('console', (message) => log.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => log.push(`pageerror: ${error.message}`));
    const port = new URL(server.httpUrl!).port;
    const query = new URLSearchParams({ jid: `${name}@localhost`, password: `${name}-secret`, transport: 'websocket', service: `ws://127.0.0.1:${port}/xmpp-websocket` });
    await page.goto(`${pages.origin}/?${query.toString()}`);
    const who = { name: label, page, log };
    await connected(who);
    return who;
  }

  async function step<T>(who: Participant, what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      await who.page.screenshot({ path: `${ARTIFACTS}/converse-modern-failed-${who.name}.png` }).catch(() => undefined);
      throw new Error(`${who.name}: ${what} failed: ${String(error)}\n--- page log ---\n${who.log.slice(-40).join('\n')}`);
    }
  }

  function connected(who: Participant): Promise<unknown> {
    return step(who, 'login', () => who.page.waitForFunction(
      () => (globalThis as PageGlobal).salonTest?.api.connection.connected() === true, undefined, { timeout: STEP_MS },
    ));
  }

  test('an avatar bob sees, a bookmark alice\'s other browser sees, an image bob sees', async () => {
    const alice = await open('alice');
    const bob = await open('bob');

    // (1) The avatar: Converse sends the vCard, then a presence with the photo's hash.
    const image = PNG.toString('base64');
    await step(alice, 'setting the avatar', () => alice.page.evaluate(async (data) => {
      const { api } = (globalThis as PageGlobal).salonTest!;
      await api.waitUntil('VCardsInitialized');
      await api.vcard.set('alice@localhost', { fn: 'Alice Liddell', image: data, image_type: 'image/png' });
    }, image));
    await step(bob, 'receiving alice\'s avatar', () => bob.page.waitForFunction(
      (data) => (globalThis as PageGlobal).salonTest?.converse.state.vcards?.get('alice@localhost')?.get('image') === data,
      image, { timeout: STEP_MS },
    ));
    await step(bob, 'showing alice\'s avatar', async () => {
      await bob.page.evaluate(() => (globalThis as PageGlobal).salonTest!.api.chats.open('alice@localhost', {}, true));
      await bob.page.locator(`converse-chat[jid="alice@localhost"] converse-avatar svg image[href="data:image/png;base64,${image}"]`).first().waitFor({ timeout: STEP_MS });
    });

    // (2) The bookmark: made in one browser, fetched from the server by the other one.
    const second = await open('alice', 'alice-second');
    // What `api.bookmarks.set` does, but awaiting the publish it leaves running (so the reload
    // cannot come first). No push is awaited: Converse 14 reads only urn:xmpp:bookmarks:1 items
    // once the server offers #compat, yet asks only for storage:bookmarks+notify pushes.
    await step(alice, 'bookmarking the room', () => alice.page.evaluate(async (room) => {
      const { api } = (globalThis as PageGlobal).salonTest!;
      const bookmarks = await api.waitUntil('bookmarksInitialized') as ConverseBookmarks;
      await bookmarks.sendBookmarkStanza(await bookmarks.create({ jid: room, name: 'Book club', nick: 'alice', autojoin: false }));
    }, ROOM));
    const hasBookmark = (room: string): boolean => (globalThis as PageGlobal).salonTest?.converse.state.bookmarks?.get(room)?.get('name') === 'Book club';
    await step(second, 'reloading without its cache', async () => {
      // Before Converse starts, so nothing it cached (the bookmark, or that it fetched them) survives.
      await second.page.addInitScript(() => (globalThis as unknown as { sessionStorage: { clear(): void } }).sessionStorage.clear());
      await second.page.reload();
      await connected(second);
    });
    await step(second, 'listing the bookmark after the reload', async () => {
      await second.page.waitForFunction(hasBookmark, ROOM, { timeout: STEP_MS });
      // The list is a modal: control box (its toggle, in the overlayed view), then the groupchats menu.
      await second.page.locator('.toggle-controlbox').click({ timeout: STEP_MS });
      await second.page.locator('converse-rooms-list converse-dropdown button').click({ timeout: STEP_MS });
      await second.page.locator('.show-bookmark-list-modal').click({ timeout: STEP_MS });
      await second.page.locator('converse-bookmarks', { hasText: 'Book club' }).first().waitFor({ timeout: STEP_MS });
    });

    // (3) The upload: Converse requests a slot, PUTs the file and sends its URL to bob.
    await step(alice, 'uploading an image', async () => {
      await alice.page.evaluate(() => (globalThis as PageGlobal).salonTest!.api.chats.open('bob@localhost', {}, true));
      await alice.page.locator('converse-chat[jid="bob@localhost"] input.fileupload').setInputFiles({ name: 'tiles.png', mimeType: 'image/png', buffer: PNG });
    });
    const shown = await step(bob, 'showing the image', async () => {
      const img = bob.page.locator('converse-chat[jid="alice@localhost"] .chat-msg img[src*="upload.localhost"]').first();
      await img.waitFor({ timeout: STEP_MS });
      await bob.page.waitForFunction((element) => (element as unknown as LoadedImage).complete && (element as unknown as LoadedImage).naturalWidth === 2, await img.elementHandle(), { timeout: STEP_MS });
      return img.getAttribute('src');
    });
    expect(shown).toMatch(/^http:\/\/upload\.localhost:\d+\/.+\/tiles\.png$/);
    const fetched = await bob.page.evaluate(async (url) => Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer())), shown!);
    expect(Buffer.from(fetched).equals(PNG)).toBe(true);

    await alice.page.screenshot({ path: `${ARTIFACTS}/converse-modern-alice.png` });
    await bob.page.screenshot({ path: `${ARTIFACTS}/converse-modern-bob.png` });
    await second.page.screenshot({ path: `${ARTIFACTS}/converse-modern-alice-second.png` });
  }, 60_000);
});
