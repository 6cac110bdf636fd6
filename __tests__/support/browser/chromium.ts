/**
 * Debian's headless Chromium, driven by puppeteer-core (which never downloads a browser).
 *
 * The flags are the ones this machine needs: without the background-networking ones Chromium
 * keeps opening connections that the closed network refuses. Each launch gets a fresh profile
 * in a temporary directory, removed by `close()`, so no cached credential or preflight carries
 * over from another run.
 *
 * A missing browser is a failure, not a skip: CI installs Debian's `chromium` package, and a
 * browser suite that silently skips proves nothing.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

export const CHROMIUM = '/usr/bin/chromium';

export interface Chromium {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM}, which is missing: ` +
        '`apt-get install -y chromium` (CI installs it; these tests fail rather than skip).',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'axios-auth-flow-chromium-'));
  try {
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      // The flags below say headless themselves; puppeteer must not add its own set.
      headless: false,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
      ],
    });
    return {
      browser,
      close: async () => {
        try {
          await browser.close();
        } finally {
          rmSync(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
