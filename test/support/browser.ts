import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { chromium, type BrowserContextOptions, type Page } from 'playwright-core'
import { afterAll } from 'vitest'
import { TEST_ADMIN_TOKEN, type TestEnv } from './harness.ts'

// Debian's Chromium (installed by .ci/run); no browser is downloaded.
const executablePath = '/usr/bin/chromium'

export interface OpenedPage {
  page: Page
  /** Uncaught script errors on the page, so a test can require there were none. */
  pageErrors: string[]
}

/** Makes the file's app listen on a free local port and returns its base URL. */
export async function listen(env: TestEnv): Promise<string> {
  await env.app.listen({ host: '127.0.0.1', port: 0 })
  return `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`
}

/**
 * One page in headless Chromium for this file, closed after it; undefined where Chromium is not
 * installed, so the file's tests can skip. `acceptDialogs` answers every confirm() with yes.
 * Call at the top level of a test file.
 */
export async function openBrowserPage({ acceptDialogs = false, ...contextOptions }: BrowserContextOptions & { acceptDialogs?: boolean } = {}): Promise<OpenedPage | undefined> {
  if (!existsSync(executablePath)) return undefined
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  afterAll(async () => {
    await browser.close()
  })
  const context = await browser.newContext(contextOptions)
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  if (acceptDialogs) page.on('dialog', (dialog) => void dialog.accept())
  return { page, pageErrors }
}

/** Opens an admin page address and signs in with the admin token; the caller waits for what it expects to see. */
export async function signInToAdmin(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.fill('#login-form input[name="token"]', TEST_ADMIN_TOKEN)
  await page.click('#login-form button[type="submit"]')
}
