/**
 * The files of the interactive reference (GET /docs) that come from swagger-ui-dist, by the name
 * they are served under, with their media types. The build copies exactly these into the bundle.
 */
export const SWAGGER_UI_ASSETS = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'favicon-32x32.png': 'image/png',
} as const;

export type SwaggerUiAsset = keyof typeof SWAGGER_UI_ASSETS;

/** Every file under /docs/, with its media type: those, and the page's own script. */
export const DOCS_FILES = {
  ...SWAGGER_UI_ASSETS,
  'init.js': 'text/javascript; charset=utf-8',
} as const;

/** Where the bundle keeps them, beside index.js. */
export const BUNDLED_DOCS_DIR = 'docs';
