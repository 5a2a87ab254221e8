/**
 * Headless Chromium for browser tests: Debian's `chromium` (or another Chromium on PATH), driven
 * by playwright-core, which never downloads a browser of its own.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The first Chromium executable on PATH (or `CHROMIUM_PATH`), else undefined. */
export function findChromium(): string | undefined {
  const explicit = process.env.CHROMIUM_PATH;
  const candidates = explicit !== undefined && explicit !== ''
    ? [explicit]
    : (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '').flatMap((dir) => NAMES.map((name) => join(dir, name)));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there or not executable: try the next one.
      continue;
    }
  }
  return undefined;
}

/** Launches it headless with a fresh profile; `localhost` resolves to 127.0.0.1 only. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--host-resolver-rules=MAP localhost 127.0.0.1',
    ],
  });
}
