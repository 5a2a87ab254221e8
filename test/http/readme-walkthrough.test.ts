/**
 * The README's "Running rooms from your backend" walkthrough, run as written: the token comes
 * from the `salon admin-token` command line the README shows, the server starts from the
 * README's config block (only the webhook URL and the listeners' ports differ), every `curl`
 * command is read from the README and sent as curl would send it, and every answer, webhook and
 * metrics line the README shows is compared with what the server really does. A real XMPP client
 * (@xmpp/client) joins and is kicked; a real HTTP receiver verifies the webhook signatures with
 * the `standardwebhooks` package, and the README's own verification lines run on what it got.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Element } from 'ltx';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { Webhook } from 'standardwebhooks';
import type { HostInput } from '../../salon.js';
import { importConfigFile } from '../../server/config/index.js';
import { runSalon } from '../helpers/cli-harness.js';
import { curlRequest, grepE, runCurl } from '../helpers/readme-curl.js';
import { blocksOf, codeBlocks, inlineCode, matchesShown, readmeSection } from '../helpers/readme-section.js';
import { shellCommands, type ShellCommand } from '../helpers/readme-shell.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { connectClient, xml, type TestClient } from '../helpers/xmpp-client.js';
import { WebhookReceiver } from './webhooks-receiver.js';

const TITLE = 'Running rooms from your backend';
const README_WEBHOOK_URL = "'http://127.0.0.1:3000/xmpp-events'";
const TOKEN_PLACEHOLDER = "'sha256:…'";
const SECRET_FROM_ENV = 'process.env.WEBHOOK_SECRET';
const MUC_NS = 'http://jabber.org/protocol/muc';
const MUC_USER_NS = 'http://jabber.org/protocol/muc#user';

let section: string;
let dir: string;
let receiver: WebhookReceiver;
let server: TestServer | undefined;
const clients: TestClient[] = [];

beforeAll(async () => {
  section = await readmeSection(TITLE);
  dir = await mkdtemp(join(tmpdir(), 'salon-readme-'));
  receiver = await WebhookReceiver.start();
});

afterAll(async () => {
  for (const client of clients) await client.stop();
  await server?.stop();
  await receiver.stop();
  await rm(dir, { recursive: true, force: true });
});

function statusCodes(el: Element): string[] {
  return (el.getChild('x', MUC_USER_NS)?.getChildren('status') ?? []).map((status) => String(status.attrs.code));
}

/** The one command of a README `sh` block, checked to be the request the step describes. */
function onlyCommand(commands: readonly ShellCommand[]): ShellCommand {
  expect(commands).toHaveLength(1);
  return commands[0]!;
}

describe('README: running rooms from your backend', () => {
  test('every step does what the README says', async () => {
    const sh = blocksOf(section, 'sh');
    // admin-token, create, affiliations, message, kick, metrics
    expect(sh).toHaveLength(6);
    const answers = inlineCode(section).filter((code) => code.startsWith('{"'));
    expect(answers).toHaveLength(4);

    // 1. The token, from the command line the README shows.
    const tokenCommand = onlyCommand(shellCommands(sh[0]!.text, {}));
    const argv = tokenCommand.stages[0]!;
    expect(argv.slice(0, 3)).toEqual(['npx', 'salon', 'admin-token']);
    const made = await runSalon(argv.slice(2), { cwd: dir });
    expect(made.code).toBe(0);
    const token = made.stdout.trim();
    expect(token).toMatch(/^salon_\S+$/);
    const printedEntry = /^\s*(\{ name: .*\},)$/m.exec(made.stderr)?.[1];
    expect(printedEntry).toBeDefined();

    // 2. The config: the README's block with the printed entry's digest and this test's receiver.
    let config = blocksOf(section, 'ts')[0]!.text;
    const entryLine = config.split('\n').find((line) => line.includes(TOKEN_PLACEHOLDER));
    expect(entryLine).toBeDefined();
    const hash = /hash: '([^']+)'/.exec(printedEntry!)![1]!;
    // The README's entry is the command's output but for the digest.
    expect(entryLine!.trim().replace(TOKEN_PLACEHOLDER, `'${hash}'`)).toBe(printedEntry);
    config = config.replace(TOKEN_PLACEHOLDER, `'${hash}'`);
    expect(config.split(README_WEBHOOK_URL)).toHaveLength(2);
    config = config.replace(README_WEBHOOK_URL, `'${receiver.url}'`);
    // The file is loaded outside Jest's sandbox, whose process.env it would not see: the secret the
    // reader exports is written in its place.
    expect(config.split(SECRET_FROM_ENV)).toHaveLength(2);
    config = config.replace(SECRET_FROM_ENV, `'${receiver.secret}'`);
    await writeFile(join(dir, 'salon.config.ts'), config);
    const loaded = await importConfigFile(join(dir, 'salon.config.ts'), 'salon.config.ts');
    if (!loaded.ok) throw new Error(loaded.error.message);
    const { hosts, ...globals } = loaded.value as { hosts: HostInput[] } & Record<string, unknown>;
    server = await startTestServer({
      globals, hosts,
      users: { 'alice@localhost': 'alice-secret', 'bob@localhost': 'bob-secret', 'mallory@localhost': 'mallory-secret' },
    });
    const httpUrl = server.httpUrl!;
    const env: Record<string, string> = { TOKEN: token };
    const commandOf = (index: number, method: string, path: string): ShellCommand => {
      const command = onlyCommand(shellCommands(sh[index]!.text, env, ['TOKEN']));
      const request = curlRequest(command.stages[0]!);
      expect(`${request.method} ${request.url.host}${request.url.pathname}`).toBe(`${method} localhost:5280${path}`);
      return command;
    };
    const bodyOf = (command: ShellCommand): Record<string, unknown> => JSON.parse(curlRequest(command.stages[0]!).body!) as Record<string, unknown>;

    // 3. Create the members-only room.
    const create = await runCurl(curlRequest(commandOf(1, 'PUT', '/admin/rooms/lobby').stages[0]!), httpUrl);
    expect(create.status).toBe(201);
    expect(matchesShown(answers[0]!, create.body)).toBe(true);
    expect(server.muc('conference.localhost')!.room('lobby@conference.localhost')?.config.membersonly).toBe(true);
    const again = await runCurl(curlRequest(commandOf(1, 'PUT', '/admin/rooms/lobby').stages[0]!), httpUrl);
    expect(again.status).toBe(200); // idempotent, as the README says

    // 4. Three members in one call.
    const affiliate = await runCurl(curlRequest(commandOf(2, 'POST', '/admin/rooms/lobby/affiliations').stages[0]!), httpUrl);
    expect(affiliate.status).toBe(200);
    expect(matchesShown(answers[1]!, affiliate.body)).toBe(true);

    // 5. Alice joins with the room and nickname of the README's /join; a non-member cannot.
    const joinLine = inlineCode(section).find((code) => code.startsWith('/join '));
    const [, roomJid, nick] = /^\/join (\S+) nick (\S+)$/.exec(joinLine ?? '') ?? [];
    expect([roomJid, nick]).toEqual(['lobby@conference.localhost', 'Alice']);
    const alice = await connectClient({ port: server.port, username: 'alice', password: 'alice-secret', resource: 'laptop' });
    clients.push(alice);
    await alice.send(xml('presence', { to: `${roomJid}/${nick}` }, xml('x', { xmlns: MUC_NS })));
    const entered = await alice.waitFor((el) => el.is('presence') && el.attrs.from === `${roomJid}/${nick}` && statusCodes(el).includes('110'));
    expect(entered.attrs.type).toBeUndefined();
    expect(entered.getChild('x', MUC_USER_NS)?.getChild('item')?.attrs).toMatchObject({ role: 'participant', affiliation: 'member' });
    expect(section).toContain('gets `registration-required`');
    const mallory = await connectClient({ port: server.port, username: 'mallory', password: 'mallory-secret' });
    clients.push(mallory);
    await mallory.send(xml('presence', { to: `${roomJid}/mallory` }, xml('x', { xmlns: MUC_NS })));
    const refused = await mallory.waitFor((el) => el.is('presence') && el.attrs.type === 'error');
    expect(refused.getChild('error')?.getChild('registration-required')).toBeDefined();

    // 6. The signed webhook, as the README shows it; the README's verification lines accept it.
    const joined = await receiver.waitFor((webhook) => webhook.payload?.type === 'occupant.joined');
    expect(joined.problem).toBeUndefined();
    const shownRequest = blocksOf(section, 'http')[0]!.text.split('\n');
    const blank = shownRequest.indexOf('');
    const shownHeaders = new Map(shownRequest.slice(1, blank).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]));
    expect(shownRequest[0]).toBe('POST /xmpp-events HTTP/1.1');
    expect(matchesShown(shownHeaders.get('webhook-id')!, joined.id)).toBe(true);
    expect(shownHeaders.get('webhook-timestamp')).toMatch(/^\d{10}$/);
    expect(Math.abs(joined.timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(matchesShown(shownHeaders.get('webhook-signature')!, joined.signature)).toBe(true);
    expect(matchesShown(shownRequest.slice(blank + 1).join('\n').trim(), joined.body)).toBe(true);
    const verifyLines = blocksOf(section, 'js')[0]!.text.split('\n').filter((line) => !line.startsWith('import '));
    const readmeVerify = new Function('Webhook', 'process', 'rawBody', 'headers', `${verifyLines.join('\n')}\nreturn event;`) as
      (webhook: typeof Webhook, process: { env: Record<string, string> }, rawBody: string, headers: Record<string, string>) => unknown;
    const headers = { 'webhook-id': joined.id, 'webhook-timestamp': String(joined.timestamp), 'webhook-signature': joined.signature };
    expect(readmeVerify(Webhook, { env: { WEBHOOK_SECRET: receiver.secret } }, joined.body, headers)).toEqual(JSON.parse(joined.body));
    expect(() => readmeVerify(Webhook, { env: { WEBHOOK_SECRET: receiver.secret } }, joined.body.replace('Alice', 'Mallory'), headers)).toThrow();

    // 7. The system message, seen by Alice as coming from "System".
    const messageCommand = commandOf(3, 'POST', '/admin/rooms/lobby/messages');
    const posted = await runCurl(curlRequest(messageCommand.stages[0]!), httpUrl);
    expect(posted.status).toBe(200);
    expect(matchesShown(answers[2]!, posted.body)).toBe(true);
    const said = bodyOf(messageCommand);
    expect(said.nick).toBe('System');
    const message = await alice.waitFor((el) => el.is('message') && el.attrs.from === `${roomJid}/System`);
    expect(message.attrs.type).toBe('groupchat');
    expect(message.getChildText('body')).toBe(said.body);

    // 8. The kick by JID: Alice sees 307 with the reason; the backend hears occupant.left.
    const kickCommand = commandOf(4, 'POST', '/admin/rooms/lobby/kick');
    const kicked = await runCurl(curlRequest(kickCommand.stages[0]!), httpUrl);
    expect(kicked.status).toBe(200);
    expect(matchesShown(answers[3]!, kicked.body)).toBe(true);
    expect(bodyOf(kickCommand).jid).toBe('alice@localhost');
    const out = await alice.waitFor((el) => el.is('presence') && el.attrs.type === 'unavailable' && el.attrs.from === `${roomJid}/${nick}`);
    expect(statusCodes(out)).toEqual(expect.arrayContaining(['307', '110']));
    expect(out.getChild('x', MUC_USER_NS)?.getChild('item')?.getChildText('reason')).toBe(bodyOf(kickCommand).reason);
    expect(out.getChild('x', MUC_USER_NS)?.getChild('item')?.attrs.affiliation).toBe('member');
    const left = await receiver.waitFor((webhook) => webhook.payload?.type === 'occupant.left');
    expect(left.problem).toBeUndefined();
    expect(left.payload!.data).toMatchObject({ room: roomJid, nick, jid: 'alice@localhost', reason: 'kicked' });
    expect(section).toContain('`"reason":"kicked"`');

    // 9. The metrics: the README's pipeline prints exactly the lines it shows.
    const metricsCommand = onlyCommand(shellCommands(sh[5]!.text, env, ['TOKEN']));
    expect(metricsCommand.stages).toHaveLength(2);
    const metricsRequest = curlRequest(metricsCommand.stages[0]!);
    expect(`${metricsRequest.method} ${metricsRequest.url.host}${metricsRequest.url.pathname}`).toBe('GET localhost:5280/metrics');
    // Deliveries are counted when acknowledged, which can be just after the receiver has them.
    let scraped = await runCurl(metricsRequest, httpUrl);
    for (let attempt = 0; attempt < 50 && !/^salon_mod_http_webhooks__delivered_total\{host="conference.localhost"\} 2$/m.test(scraped.body); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      scraped = await runCurl(metricsRequest, httpUrl);
    }
    expect(scraped.status).toBe(200);
    const shownMetrics = codeBlocks(section).find((block, i, all) => block.lang === '' && all[i - 1]?.text === sh[5]!.text);
    expect(shownMetrics).toBeDefined();
    expect(grepE(metricsCommand.stages[1]!, scraped.body)).toEqual(shownMetrics!.text.split('\n').filter((line) => line !== ''));
    // The prose's counters, read with an independent parser of the exposition format.
    const families = new Map(parsePrometheusTextFormat(scraped.body).map((family) => [family.name, family]));
    const value = (name: string, labels: Record<string, string>): number => {
      expect(section).toContain(name);
      const sample = families.get(name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
      return Number(sample?.value ?? 0);
    };
    expect(value('salon_mod_c2s__stanzas_received_total', { kind: 'presence' })).toBeGreaterThanOrEqual(2); // Alice's and Mallory's joins
    expect(value('salon_mod_c2s__stanzas_sent_total', { kind: 'message' })).toBeGreaterThanOrEqual(1);
    expect(value('salon_mod_c2s__stanzas_sent_total', { kind: 'presence' })).toBeGreaterThanOrEqual(3); // entered, refused, kicked

    // A kick is not a ban: Alice, still a member, may come back.
    const seen = alice.received.length;
    await alice.send(xml('presence', { to: `${roomJid}/${nick}` }, xml('x', { xmlns: MUC_NS })));
    const back = await alice.waitFor((el) => alice.received.indexOf(el) >= seen && el.is('presence') && el.attrs.from === `${roomJid}/${nick}` && statusCodes(el).includes('110'));
    expect(back.attrs.type).toBeUndefined();
    expect(section).toContain('she stays a member and may come back');
  }, 20_000);
});
