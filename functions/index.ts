/**
 * Registers the HTTP function `predict` with the Functions Framework, and puts the edge around
 * the framework's server (functions/edge.ts); everything else lives in handler.ts. Configuration
 * is read once, when the instance loads this module.
 */
import { http } from '@google-cloud/functions-framework';
import { loadConfig } from './config.js';
import { createGuard, guardEveryServer } from './edge.js';
import { createHandler } from './handler.js';
import { createLog } from './logging.js';

const config = loadConfig(process.env);
const log = createLog();
http('predict', createHandler(config, { log, gracefulShutdown: true }));
guardEveryServer(createGuard({ config, log }));
