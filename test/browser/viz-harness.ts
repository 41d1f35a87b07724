// Harness for the visualizer's browser tests: build the viz once per test file into a temp
// dir with vite's build() API, serve it with vite's preview server on 127.0.0.1 (a free
// port), and drive Debian's chromium through playwright-core (executablePath; no browser
// download). playwright's launch() gives every browser a fresh temporary profile.
// Pages collect console errors and uncaught exceptions so each test can assert there were none.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = join(ROOT, 'viz', 'fixtures');
export const SCREENSHOTS = join(ROOT, 'test', 'browser', 'screenshots');
const CONFIG = join(ROOT, 'viz', 'vite.config.ts');

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface VizHarness {
  /** Base URL of the served app, ending in `/`. */
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

export interface VizPage {
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Build the viz, serve it, launch chromium. */
export async function startViz(): Promise<VizHarness> {
  const outDir = mkdtempSync(join(tmpdir(), 'rocketmq-viz-'));
  await build({ configFile: CONFIG, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  let server: PreviewServer | undefined;
  for (let attempt = 0; server === undefined; attempt++) {
    const port = await freePort();
    try {
      server = await preview({ configFile: CONFIG, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: true, open: false } });
    } catch (e) {
      if (attempt >= 5) throw e;
    }
  }
  const address = server.httpServer.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    url: `http://127.0.0.1:${port}/`,
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await server?.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** A new page (its own context, so no state leaks between tests) that records errors. */
export async function newVizPage(h: VizHarness): Promise<VizPage> {
  const context = await h.browser.newContext({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true, reducedMotion: 'reduce' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return { page, errors };
}

/** Open `query` (e.g. `?run=fixtures/send-two.events.jsonl`) and wait until the viz is ready. */
export async function openViz(h: VizHarness, vp: VizPage, query: string): Promise<void> {
  await vp.page.goto(`${h.url}${query}`);
  await vp.page.waitForFunction('window.__viz !== undefined && window.__viz.ready === true', undefined, { timeout: 20_000 });
  await vp.page.evaluate('window.__viz.settled()');
}

/** Evaluate a JS expression in the page (the root tsconfig has no DOM types, hence strings). */
export function viz<T>(vp: VizPage, expression: string): Promise<T> {
  return vp.page.evaluate(expression) as Promise<T>;
}

/** Move the cursor through the test hook and wait for every panel to redraw. */
export async function seek(vp: VizPage, cursor: number): Promise<void> {
  await viz(vp, `window.__viz.seek(${cursor})`);
}

/** Press a key (focus on the page body first) and wait for the redraw. */
export async function press(vp: VizPage, key: string): Promise<void> {
  await vp.page.evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur()');
  await vp.page.keyboard.press(key);
  await viz(vp, 'window.__viz.settled()');
}

export function fixtureUrl(name: string): string {
  return `?run=${encodeURIComponent(`fixtures/${name}.events.jsonl`)}`;
}
