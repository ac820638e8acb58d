/**
 * Registers the HTTP function `predict` with the Functions Framework; everything else lives in
 * handler.ts. Configuration is read once, when the instance loads this module.
 */
import { http } from '@google-cloud/functions-framework';
import { loadConfig } from './config.js';
import { createHandler } from './handler.js';

http('predict', createHandler(loadConfig(process.env), { gracefulShutdown: true }));
