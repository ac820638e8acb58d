/**
 * GET /docs and its files, and browsers sent there from GET /: served by the function through the
 * real Functions Framework server, each under the Content-Security-Policy.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../functions/docs.js';
import { docsAssetsDir } from '../../functions/docs-assets-dir.js';
import { SWAGGER_UI_ASSETS, DOCS_FILES } from '../../functions/docs-assets.js';
import { problemType } from '../../functions/errors.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers, redirect: 'manual' });

describe('GET /docs', () => {
  it('serves the page under a policy that allows only its own files', async () => {
    const response = await get('/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|https?:/);
    const page = await response.text();
    // No inline script: every script is a file the function serves.
    expect(page).not.toMatch(/<script>|<script [^>]*(?<!src="[^"]*")>[^<]/);
    for (const [, src] of page.matchAll(/(?:src|href)="([^"]+)"/g)) {
      expect((await get(`/${src!}`)).status, src).toBe(200);
    }
  });

  it.each(Object.entries(DOCS_FILES))('serves %s as %s, with the policy', async (name, type) => {
    const response = await get(`/docs/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const body = Buffer.from(await response.arrayBuffer());
    if (name in SWAGGER_UI_ASSETS) {
      expect(body.equals(readFileSync(`${docsAssetsDir()}/${name}`))).toBe(true);
    }
  });

  it('answers a file it does not serve with a 404 problem document', async () => {
    const response = await get('/docs/index.html');
    expect(response.status).toBe(404);
    expect(((await response.json()) as { type: string }).type).toBe(problemType('not-found'));
  });
});

describe('GET /', () => {
  it('sends a browser to /docs with 303', async () => {
    const response = await get('/', {
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/docs');
    expect(response.headers.get('vary')).toContain('Accept');
  });

  it.each([{}, { accept: '*/*' }, { accept: 'application/json' }])(
    'answers other clients (%o) with the service information',
    async (headers) => {
      const response = await get('/', headers);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(((await response.json()) as { docs: string }).docs).toBe('/openapi.json');
    },
  );
});
