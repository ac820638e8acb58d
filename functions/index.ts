/**
 * Registers the HTTP function `predict` with the Functions Framework, and puts the intake in front
 * of the framework's server (functions/intake.ts); everything else lives in handler.ts.
 * Configuration is read once, when the instance loads this module: a bad value stops the instance
 * with one log line naming it, before the framework would print its own guesses and a stack.
 */
import { http } from '@google-cloud/functions-framework';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createHandler } from './handler.js';
import { createIntake, guardEveryServer } from './intake.js';
import { createLog } from './logging.js';

const log = createLog();
let config: Config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  log('CRITICAL', error.message, { variable: error.variable });
  process.exit(1);
}
http('predict', createHandler(config, { log }));
guardEveryServer(createIntake({ config, log, drainOnSigterm: true }));
