// Headless Chromium for the browser tests: playwright-core drives the system's own Chromium, so
// nothing is downloaded.
//
//   const browser = await launchBrowser()
//   const page = await browser.newPage()
//   await browser.close()
import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

export const CHROMIUM = '/usr/bin/chromium'

/** Whether this machine has Chromium (for suites that skip without one). */
export const hasChromium = existsSync(CHROMIUM)

/** No sandbox (containers), no GPU, no QUIC and no background traffic: quiet, and alike on every machine. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
