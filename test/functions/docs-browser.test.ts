/**
 * GET /docs in a real browser — Debian's Chromium, driven by puppeteer-core (no browser download)
 * — against a real server: "Try it out" with the seed example shows the labels POST /predict
 * gives for it, and the invalid example shows its 400 problem document, with nothing the
 * Content-Security-Policy had to block.
 *
 * `DOCS_SCREENSHOT=docs/reference.png npx vitest run test/functions/docs-browser.test.ts` also
 * writes the screenshot the README shows.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_EXAMPLES } from '../../functions/openapi.js';
import problemExamples from '../../schemas/examples/problems.json' with { type: 'json' };
import { post, startServer, type TestServer } from '../helpers/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// A newcomer's first `npm test` passes before they install Chromium; CI installs it (.ci/run).
const runs = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!runs) console.warn(`\n${CHROMIUM} is not installed: skipping the browser test of /docs.\n`);

const PREDICT = '#operations-Predictions-predict';

let server: TestServer;
let browser: Browser;
let page: Page;
const violations: string[] = [];

beforeAll(async () => {
  if (!runs) return;
  server = await startServer();
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    // As root (CI) Chromium refuses to start with its sandbox.
    args: ['--no-sandbox', '--disable-gpu'],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  // Every request the page makes must be to the function, and none refused by the policy.
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  page.on('console', (message) => {
    if (message.text().startsWith('CSP violation')) violations.push(message.text());
  });
  page.on('request', (request) => {
    if (!request.url().startsWith(server.url) && !request.url().startsWith('data:'))
      violations.push(`request to ${request.url()}`);
  });
  await page.goto(`${server.url}/docs`, { waitUntil: 'networkidle0' });
  await page.click(`${PREDICT} .opblock-summary-control`);
  await page.waitForSelector(`${PREDICT} .execute`);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Chooses the request example `name`, executes it, and reads the rendered status and body. */
async function tryExample(name: keyof typeof REQUEST_EXAMPLES | 'invalid') {
  // The previous answer goes first, so that the one awaited below is this example's.
  const clear = await page.$(`${PREDICT} .btn-clear`);
  if (clear) {
    await clear.click();
    await page.waitForSelector(`${PREDICT} .live-responses-table`, { hidden: true });
  }
  const chosen = await page.select(
    `${PREDICT} .opblock-section-request-body .examples-select select`,
    name,
  );
  if (chosen[0] !== name) throw new Error(`no request example ${name} to choose`);
  await page.click(`${PREDICT} .execute`);
  const body = `${PREDICT} .live-responses-table .response-col_description pre`;
  await page.waitForSelector(body);
  return page.$eval(`${PREDICT} .live-responses-table tbody`, (table) => ({
    status: table.querySelector('.response-col_status')?.textContent?.trim(),
    body: table.querySelector('.response-col_description pre')?.textContent ?? '',
  }));
}

describe.runIf(runs)('GET /docs in Chromium', () => {
  it('runs the seed example through "Try it out" and shows the labels POST /predict gives', async () => {
    const direct = (await (
      await post(server, '/predict', REQUEST_EXAMPLES.seed.value)
    ).json()) as number[];
    const shown = await tryExample('seed');
    expect(shown.status).toBe('200');
    expect(JSON.parse(shown.body)).toEqual(direct);
    const screenshot = process.env.DOCS_SCREENSHOT;
    if (screenshot) {
      // From the page's title down to the answer just rendered.
      const bottom = await page.$eval(
        `${PREDICT} .live-responses-table`,
        (table) => table.getBoundingClientRect().bottom + window.scrollY,
      );
      await page.screenshot({
        path: screenshot,
        clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom) + 16 },
        captureBeyondViewport: true,
      });
    }
  });

  it('runs the LATAM example through "Try it out" and shows its {"predict"} answer', async () => {
    const direct: unknown = await (
      await post(server, '/predict', REQUEST_EXAMPLES.latam.value)
    ).json();
    const shown = await tryExample('latam');
    expect(shown.status).toBe('200');
    expect(JSON.parse(shown.body)).toEqual(direct);
    expect(direct).toEqual({ predict: [expect.any(Number), expect.any(Number)] });
  });

  it('runs the airport example through "Try it out", each prediction naming its model', async () => {
    const direct = (await (
      await post(server, '/predict', REQUEST_EXAMPLES.airport.value)
    ).json()) as { predictions: Array<{ model: string }> };
    const shown = await tryExample('airport');
    expect(shown.status).toBe('200');
    expect(JSON.parse(shown.body)).toEqual(direct);
    expect(direct.predictions.map((p) => p.model)).toEqual(['nowcast', 'nowcast', 'schedule']);
  });

  it('shows the 400 problem document of the invalid example', async () => {
    const shown = await tryExample('invalid');
    expect(shown.status).toBe('400');
    expect(JSON.parse(shown.body)).toEqual(problemExamples['invalid-request'].problem);
  });

  it('loaded nothing from elsewhere, and the policy blocked nothing', () => {
    expect(violations).toEqual([]);
  });
});
