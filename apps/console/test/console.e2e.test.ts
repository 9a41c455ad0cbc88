/**
 * The console in a real browser (Debian's Chromium driven by playwright-core) against a real
 * gateway (startGateway: temp SQLite store, the offline mock upstream): the whole flow,
 * plus screenshots of each page at 1280 and 390 px in apps/console/screenshots/ (git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KeyManager, loadConfig } from '@claude-auth/core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The gateway is an app, not a package the console may depend on (it depends on the console):
// the test starts it from its source.
import { startGateway, type RunningGateway } from '../../gateway/src/index.js';
import { createRuntime } from '../../gateway/src/runtime.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const IN_CI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM && !IN_CI) {
  console.warn(
    `console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH); under CI=true they fail instead`,
  );
}

const root = path.resolve(import.meta.dirname, '..');
const shots = path.join(root, 'screenshots');
const dir = mkdtempSync(path.join(tmpdir(), 'console-e2e-'));
const quiet = { warn: () => undefined, error: () => undefined };
const WIDTHS = [1280, 390] as const;

let gateway: RunningGateway;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let adminKey: string;
const problems: string[] = [];

/** A proxied Messages call with `key`, as any client of the gateway would make it. */
function callClaude(key: string): Promise<Response> {
  return fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: {
      'x-api-key': key,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 32,
      messages: [{ role: 'user', content: 'Hello from the console test' }],
    }),
  });
}

/** Full-page screenshots of the current page at both widths. */
async function shoot(name: string): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });
    await page.waitForTimeout(150); // charts redraw on resize
    await page.screenshot({ path: path.join(shots, `${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Reads the once-shown secret from the open dialog, copies it, closes the dialog. */
async function takeSecret(): Promise<string> {
  const dialog = page.getByRole('dialog');
  await expect.poll(() => dialog.locator('#new-secret').count()).toBe(1);
  await expect.poll(() => dialog.textContent()).toContain("You won't be able to see it again");
  const secret = await dialog.locator('#new-secret').inputValue();
  expect(secret).toMatch(/^cla_api_live_/);
  await dialog.getByRole('button', { name: 'Copy' }).click();
  await expect.poll(() => dialog.getByRole('status').textContent()).toContain('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await dialog.getByRole('button', { name: /close/i }).click();
  // Closing removes the secret from the page, not just from view.
  expect(await page.locator('dialog').count()).toBe(0);
  expect(await page.content()).not.toContain(secret);
  return secret;
}

/** The id, or else the accessible name, of the focused element (`BODY` when focus is lost). */
function focused(): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (!active || active === document.body) return 'BODY';
    return active.id || active.getAttribute('aria-label') || active.textContent || active.tagName;
  });
}

/** Today (UTC) as the charts label it: `MM-DD`. */
function todayLabel(): string {
  return new Date().toISOString().slice(5, 10);
}

/** What the chart on `canvas` drew: its x labels and whether anything fell outside the plot. */
async function drawn(
  canvas: ReturnType<Page['locator']>,
): Promise<{ labels: string[]; clipped: string | null }> {
  const labels = (await canvas.getAttribute('data-x-labels')) ?? '';
  return {
    labels: labels.split(' ').filter(Boolean),
    clipped: await canvas.getAttribute('data-clipped'),
  };
}

function row(name: string) {
  return page.locator('tbody tr', { hasText: name });
}

async function openKeys(): Promise<void> {
  await page.getByRole('link', { name: 'API keys' }).click();
  await page.getByRole('heading', { name: 'API keys' }).waitFor();
}

async function createKey(name: string, workspace?: string): Promise<string> {
  await page.getByRole('button', { name: 'Create key' }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name (required)').fill(name);
  if (workspace) await dialog.getByLabel('Workspace').selectOption({ label: workspace });
  await dialog.getByRole('button', { name: 'Create key' }).click();
  return takeSecret();
}

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)('the console in Chromium', () => {
  beforeAll(async () => {
    // A fresh build of the console: the gateway serves apps/console/dist.
    const vitePackage = createRequire(import.meta.url).resolve('vite/package.json');
    const vite = path.join(path.dirname(vitePackage), 'bin', 'vite.js');
    execFileSync(process.execPath, [vite, 'build', '--logLevel', 'error'], { cwd: root });
    mkdirSync(shots, { recursive: true });
    const config = loadConfig({
      env: {},
      overrides: { storeUrl: `sqlite:${path.join(dir, 'keys.db')}`, logLevel: 'error' },
    });
    gateway = await startGateway(config, {
      port: 0,
      env: {},
      logger: quiet,
      mockStreamDelayMs: 0,
      print: () => undefined,
    });
    adminKey = gateway.adminKey!;
    // A key made 120 days ago (as the CLI would have, on the same store): due for rotation.
    const runtime = await createRuntime(config, { logger: quiet });
    const past = new Date(Date.now() - 120 * 86_400_000);
    const manager = new KeyManager({ store: runtime.store, now: () => past });
    await manager.createKey({ name: 'legacy service' });
    await manager.close();
    await runtime.close();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: gateway.url,
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (
        message.type() === 'error' &&
        // 4xx answers the test provokes, and the connection it refuses on purpose
        !/status of 40[0-9]|net::ERR_CONNECTION_REFUSED/.test(message.text())
      )
        problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the console at /console under the strict CSP, with no violation or error in the page', async () => {
    // No request the gateway would refuse for want of a key (a browser asks for /favicon.ico,
    // after the page has loaded, unless the page names an icon).
    const favicon: string[] = [];
    page.on('console', (message) => {
      if (message.location().url.endsWith('/favicon.ico')) favicon.push(message.text());
    });
    const response = await page.goto(`${gateway.url}/console`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe');
    await page.getByLabel('Admin key').waitFor();
    await shoot('admin-key');
    expect(problems).toEqual([]);
    await page.waitForTimeout(500);
    expect(favicon).toEqual([]);
  });

  it('says so when the admin key is wrong and when the gateway is unreachable', async () => {
    await page.getByLabel('Admin key').fill('cla_admin_live_not-a-real-key');
    await page.getByRole('button', { name: 'Open the console' }).click();
    const alert = page.locator('#admin-key-error');
    await expect.poll(() => alert.textContent()).toContain('refused the admin key (401)');
    await shoot('admin-key-wrong');

    await page.route('**/v1/organizations/**', (route) => route.abort('connectionrefused'));
    await page.getByLabel('Admin key').fill(adminKey);
    await page.getByRole('button', { name: 'Open the console' }).click();
    await expect.poll(() => alert.textContent()).toContain('Gateway unreachable');
    await page.unroute('**/v1/organizations/**');
    // Nothing was kept: the key is stored only once the gateway accepted it.
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('takes the admin key once per tab (session storage, never a cookie or the URL)', async () => {
    await page.getByLabel('Admin key').fill(adminKey);
    await page.getByRole('button', { name: 'Open the console' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await row('gateway-admin').waitFor();
    // The console's own admin key: Deactivate and Delete are off, and the row says why.
    const own = row('gateway-admin');
    expect(await own.locator('.own-note').textContent()).toBe('the key you are signed in with');
    for (const action of ['Delete', 'Deactivate']) {
      const button = own.getByRole('button', { name: `${action} gateway-admin` });
      expect(await button.isDisabled()).toBe(true);
      expect(await button.getAttribute('title')).toBe(
        'Not available on the key you are signed in with',
      );
    }
    expect(
      await row('legacy service')
        .getByRole('button', { name: 'Delete legacy service' })
        .isDisabled(),
    ).toBe(false);
    expect(await row('legacy service').locator('.own-note').count()).toBe(0);
    // Rotation marker: the 120-day-old key has it at the default 90 days, not at 200.
    expect(await row('legacy service').locator('.badge.warn').textContent()).toBe('Rotate');
    expect(await row('gateway-admin').locator('.badge.warn').count()).toBe(0);
    await page.getByLabel('Rotate after (days)').fill('200');
    await expect.poll(() => row('legacy service').locator('.badge.warn').count()).toBe(0);
    await page.getByLabel('Rotate after (days)').fill('90');
    await row('legacy service').locator('.badge.warn').waitFor();
    expect(page.url()).not.toContain(adminKey);
    expect(await context.cookies()).toEqual([]);
    await page.reload();
    await row('gateway-admin').waitFor(); // still signed in in this tab
    const other = await context.newPage();
    await other.goto(`${gateway.url}/console/keys`);
    await other.getByLabel('Admin key').waitFor(); // a new tab asks again
    await other.close();
  });

  let secret = '';
  let oldSecret = '';

  it('creates a key: field errors beside the field, then the secret shown once and copied', async () => {
    // Keyboard: the dialog opens on Enter, focus lands in its first field, Escape closes it.
    await page.getByRole('button', { name: 'Create key' }).first().focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('key-name');
    // Organization-wide by default, as the CLI and the API.
    expect(await dialog.getByLabel('Workspace').inputValue()).toBe('');
    expect(
      await dialog
        .getByLabel('Workspace')
        .evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text),
    ).toBe('Organization-wide (every workspace)');
    // Tab and Shift+Tab stay inside the modal dialog.
    for (const key of [...Array<string>(9).fill('Tab'), ...Array<string>(9).fill('Shift+Tab')]) {
      await page.keyboard.press(key);
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('dialog')))).toBe(
        true,
      );
    }
    // Escape closes it and focus goes back to the button that opened it.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog').count()).toBe(0);
    expect(await focused()).toBe('Create key');
    // So does Cancel.
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.locator('dialog').count()).toBe(0);
    expect(await focused()).toBe('Create key');

    await page.getByRole('button', { name: 'Create key' }).first().click();
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await expect
      .poll(() => dialog.locator('#key-name-error').textContent())
      .toBe('A name is required.');
    await dialog.getByLabel('Name (required)').fill('e2e service');
    await dialog.getByLabel('Expires on').fill('2020-01-01');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    // The gateway's own validation message, next to the field it names.
    await expect
      .poll(() => dialog.locator('#key-expires-error').textContent())
      .toContain('expires_at');
    await shoot('create-key-error');
    await dialog.getByLabel('Expires on').fill('');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    secret = await takeSecret();
    await row('e2e service').waitFor();
    // Create dialog → secret dialog → closed: focus is back on the page's Create key button.
    expect(await focused()).toBe('Create key');
  });

  it('returns focus to the row button that opened the Rename dialog', async () => {
    const rename = row('e2e service').getByRole('button', { name: 'Rename e2e service' });
    await rename.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog').count()).toBe(0);
    expect(await focused()).toBe('Rename e2e service');
    await rename.click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.locator('dialog').count()).toBe(0);
    expect(await focused()).toBe('Rename e2e service');
  });

  it('the key works with a plain HTTP request and then shows a last-used date', async () => {
    const response = await callClaude(secret);
    expect(response.status).toBe(200);
    // An API key (not an admin key) is turned away from the console with the reason.
    const other = await context.newPage();
    await other.goto(`${gateway.url}/console`);
    await other.getByLabel('Admin key').fill(secret);
    await other.getByRole('button', { name: 'Open the console' }).click();
    await expect
      .poll(() => other.locator('#admin-key-error').textContent())
      .toContain('may not use the admin API (403');
    await other.close();
    // last_used_at is written in batches: reload until the table shows it.
    await expect
      .poll(
        async () => {
          await page.reload();
          await row('e2e service').waitFor();
          return row('e2e service').locator('td.last-used time').count();
        },
        { timeout: 30_000, interval: 700 },
      )
      .toBe(1);
    const when = await row('e2e service').locator('td.last-used time').getAttribute('title');
    expect(when).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    await shoot('keys');
  });

  it('regenerates with a grace period: the old secret keeps working, the new one works', async () => {
    await row('e2e service').getByRole('button', { name: 'Regenerate e2e service' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Grace period (minutes)').fill('10');
    await dialog.getByRole('button', { name: 'Regenerate' }).click();
    oldSecret = secret;
    secret = await takeSecret();
    expect(secret).not.toBe(oldSecret);
    expect((await callClaude(oldSecret)).status).toBe(200);
    expect((await callClaude(secret)).status).toBe(200);
  });

  it("shows a key's daily requests, tokens and cost", async () => {
    await row('e2e service').getByRole('link', { name: 'e2e service' }).click();
    await page.getByRole('heading', { name: 'e2e service' }).waitFor();
    const caption = page.locator('figcaption').first();
    // Usage rows are written about every second: wait for both calls to be in the report.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.locator('figcaption').first().waitFor();
          return caption.textContent();
        },
        { timeout: 15_000, interval: 700 },
      )
      .toMatch(/^Requests and tokens: 3 requests, [1-9][\d,]* tokens$/);
    expect(await page.locator('canvas').count()).toBe(2);
    // Every day up to today is drawn inside the plot, and today is labelled, at both widths.
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      for (const canvas of await page.locator('canvas').all()) {
        await expect.poll(async () => (await drawn(canvas)).labels.at(-1)).toBe(todayLabel());
        expect((await drawn(canvas)).clipped).toBe('false');
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await shoot('key-detail');
  });

  it('deletes the key after confirmation: both secrets are refused', async () => {
    await openKeys();
    await row('e2e service').getByRole('button', { name: 'Delete e2e service' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('cannot be undone');
    await dialog.getByRole('button', { name: 'Delete key' }).click();
    await expect.poll(() => row('e2e service').count()).toBe(0);
    // The row that opened the dialog is gone: focus goes to the page heading, not <body>.
    await expect.poll(() => focused()).toBe('keys-title');
    expect((await callClaude(secret)).status).toBe(401);
    expect((await callClaude(oldSecret)).status).toBe(401);
  });

  it('workspaces: create, a limit set from the page, the bar moves, the limit stops the next request', async () => {
    await page.getByRole('link', { name: 'Workspaces' }).click();
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
    await page.getByLabel('New workspace name').fill('Spend test');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    const card = page.locator('li.card', { hasText: 'Spend test' });
    await card.waitFor();
    const limit = card.getByLabel('Monthly limit (USD)');
    // The gateway refuses a negative limit: its message shows beside the field.
    await limit.fill('-5');
    await card.getByRole('button', { name: 'Set spend limit of Spend test' }).click();
    await expect
      .poll(() => card.locator('.field-error').textContent())
      .toContain('spend_limit_usd');
    // $0.0001 a month: one echo call uses it up.
    await limit.fill('0.0001');
    await card.getByRole('button', { name: 'Set spend limit of Spend test' }).click();
    await expect.poll(() => card.locator('.spend-text').textContent()).toContain('of $0.0001 (0%)');
    expect(await card.locator('progress').evaluate((bar: HTMLProgressElement) => bar.value)).toBe(
      0,
    );

    await openKeys();
    // A refused create keeps the workspace the user picked.
    await page.getByRole('button', { name: 'Create key' }).first().click();
    const create = page.getByRole('dialog');
    // With a workspace to choose from, the default is still Organization-wide (CLI and API alike).
    expect(await create.getByLabel('Workspace').inputValue()).toBe('');
    await create.getByLabel('Name (required)').fill('too late');
    await create.getByLabel('Workspace').selectOption({ label: 'Spend test' });
    await create.getByLabel('Expires on').fill('2020-01-01');
    await create.getByRole('button', { name: 'Create key' }).click();
    await expect
      .poll(() => create.locator('#key-expires-error').textContent())
      .toContain('expires_at');
    expect(
      await create
        .getByLabel('Workspace')
        .evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text),
    ).toBe('Spend test');
    await create.getByRole('button', { name: 'Cancel' }).click();
    const key = await createKey('spend test key', 'Spend test');
    expect((await callClaude(key)).status).toBe(200);

    await page.getByRole('link', { name: 'Workspaces' }).click();
    await card.waitFor();
    await expect
      .poll(async () => {
        await page.reload();
        await card.waitFor();
        return Number(await card.locator('.spend-text').getAttribute('data-spent-usd'));
      })
      .toBeGreaterThan(0);
    expect(
      await card.locator('progress').evaluate((bar: HTMLProgressElement) => bar.value),
    ).toBeGreaterThan(0);
    const spendText = (await card.locator('.spend-text').textContent()) ?? '';
    expect(spendText).toContain('limit reached');
    // The figure is the real share of the limit, past 100 % (the bar stops at the limit).
    expect(Number(/\((\d+)%\)/.exec(spendText)?.[1])).toBeGreaterThan(100);

    const refused = await callClaude(key);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-should-retry')).toBe('false');

    await card.getByRole('button', { name: 'Show last 30 days' }).click();
    await expect
      .poll(
        async () =>
          (await card.locator('figcaption').count()) && card.locator('figcaption').textContent(),
        { timeout: 10_000 },
      )
      .toMatch(/^Daily spend and requests: \$0\.000\d{1,4}, 1 request$/);
    const chart = card.locator('canvas');
    await expect.poll(async () => (await drawn(chart)).labels.at(-1)).toBe(todayLabel());
    expect((await drawn(chart)).clipped).toBe('false');
    await shoot('workspaces');
  });

  it('renames and archives a workspace, warning that its keys stop working', async () => {
    await page.getByLabel('New workspace name').fill('Scratch');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('button', { name: 'Rename workspace Scratch' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('New name').fill('Scratch two');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('heading', { name: 'Scratch two' }).waitFor();
    // Focus went back to the card's Rename button (its label now names the new name).
    expect(await focused()).toBe('Rename workspace Scratch two');
    await page.getByRole('button', { name: 'Archive workspace Scratch two' }).click();
    expect(await dialog.textContent()).toContain('stops working');
    await dialog.getByRole('button', { name: 'Archive workspace' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Scratch two' }).count()).toBe(0);
    await expect.poll(() => focused()).toBe('workspaces-title');
    await page.getByLabel('Show archived').check();
    await page.getByRole('heading', { name: 'Scratch two' }).waitFor();
  });

  it('says so when the gateway stops answering, and recovers on Retry', async () => {
    await page.route('**/v1/organizations/**', (route) => route.abort('connectionrefused'));
    await page.getByRole('link', { name: 'API keys' }).click();
    const banner = page.locator('.banner.error');
    await expect.poll(() => banner.textContent()).toContain('Gateway unreachable');
    await shoot('unreachable');
    await page.unroute('**/v1/organizations/**');
    await banner.getByRole('button', { name: 'Retry' }).click();
    await row('gateway-admin').waitFor();
    expect(await banner.count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
