/**
 * `GET /docs`: Swagger UI over `GET /openapi.json`, every file served by the function itself —
 * the deployed function is private (reached with an identity token or through
 * `gcloud run services proxy`), so the page cannot rely on a CDN — under a Content-Security-Policy
 * that allows nothing but those files and calls to the function. Nothing is read until the page
 * is first asked for: the prediction path's cold start does not carry it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DOCS_FILES, SWAGGER_UI_ASSETS, type SwaggerUiAsset } from './docs-assets.js';
import { docsAssetsDir } from './docs-assets-dir.js';
import { HttpAnswer } from './outcome.js';
import { lazily, whenLoaded } from './lazy.js';
import type { Route } from './routes.js';

export const DOCS_PATH = '/docs';

/**
 * No inline script or style, no other origin; `data:` images are the icons Swagger UI's style
 * sheet embeds. Style attributes that Swagger UI sets through the DOM are not markup, which
 * `style-src` governs, so they need no 'unsafe-inline'.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

// Relative URLs: they resolve under whatever path the function is served at.
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>SCL flight delay predictor — API reference</title>
    <link rel="icon" type="image/png" href="docs/favicon-32x32.png" />
    <link rel="stylesheet" href="docs/swagger-ui.css" />
  </head>
  <body>
    <div id="reference"></div>
    <script src="docs/swagger-ui-bundle.js"></script>
    <script src="docs/init.js"></script>
  </body>
</html>
`;

// "Try it out" open on every operation: one click on Execute sends the chosen example.
const INIT = `window.ui = SwaggerUIBundle({
  url: 'openapi.json',
  dom_id: '#reference',
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
  tryItOutEnabled: true,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
});
`;

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/** The reference's routes, by path. */
export function docsRoutes(): Array<[string, { GET: Route }]> {
  const page = answer('text/html; charset=utf-8', PAGE);
  const init = answer(DOCS_FILES['init.js'], INIT);
  const assets = (Object.keys(SWAGGER_UI_ASSETS) as SwaggerUiAsset[]).map(
    (name): [string, { GET: Route }] => {
      const read = lazily(async () =>
        answer(SWAGGER_UI_ASSETS[name], await readFile(join(docsAssetsDir(), name))),
      );
      return [
        `${DOCS_PATH}/${name}`,
        { GET: (_req, outcome) => whenLoaded(read(), outcome.reject, outcome.resolve) },
      ];
    },
  );
  return [
    [DOCS_PATH, { GET: (_req, outcome) => outcome.resolve(page) }],
    [`${DOCS_PATH}/init.js`, { GET: (_req, outcome) => outcome.resolve(init) }],
    ...assets,
  ];
}

function answer(type: string, body: string | Buffer): HttpAnswer {
  return new HttpAnswer(200, { ...SECURITY_HEADERS, 'Content-Type': type }, body);
}
