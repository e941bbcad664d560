import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The Debian `chromium` package; playwright-core ships no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless Chromium for browser tests, quiet on the network: no background updates, sync or QUIC, so every
 * request the page makes is one the page itself asked for. A missing browser is an error, never a skip:
 * a browser test that silently does not run proves nothing.
 */
export async function launchChromium(): Promise<Browser> {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch (error) {
    throw new Error(`browser tests need Chromium at ${CHROMIUM_PATH} (Debian: apt-get install chromium)`, {
      cause: error,
    });
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
