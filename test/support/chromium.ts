import { chromium, type Browser, type Page } from 'playwright-core';
import { requireService } from './services.js';

/**
 * For a file of browser tests: Debian's Chromium (CHROMIUM from npm run services), headless, launched
 * before the file's tests and closed after them. Never a downloaded browser. Under CI a missing or
 * unlaunchable Chromium fails the suite; elsewhere a missing one skips it with the reason printed.
 */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  before(async function () {
    this.timeout(60_000);
    const executablePath = requireService(this, 'CHROMIUM', 'Chromium (headless, for the passkey suite)');
    browser = await chromium.launch({ executablePath });
  });
  after(async () => browser?.close());
  return () => {
    if (!browser) throw new Error('Chromium was not launched');
    return browser;
  };
}

/**
 * A new tab with a virtual WebAuthn authenticator of its own (CTAP2, built in, resident keys, user
 * verification that always succeeds), as a laptop's platform authenticator; it stays with the tab
 * across navigations.
 */
export async function aTabWithAuthenticator(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  return page;
}
