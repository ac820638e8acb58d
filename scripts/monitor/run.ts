/** A monitor run: the log and the cards read, each model analysed, the alerts raised, written. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { readActuals, type Actuals } from './actuals.js';
import { alertsOf, type Alert } from './alerts.js';
import { analyseModel, type ModelFigures } from './analysis.js';
import { PROBABILITY } from './drift.js';
import { readLogText } from './log-reader.js';
import { readCard, type MonitoredCard } from './model-cards.js';
import { joinLogFiles, type PredictionLog } from './prediction-log.js';
import { consoleLines } from './console.js';
import { writeReport } from './report.js';
import { servingValues } from './serving-values.js';
import { summary } from './summary.js';
import { parseThresholds } from './thresholds.js';

export interface MonitorOptions {
  logs: string[];
  models: string;
  actual?: string;
  out?: string;
  json?: string;
  threshold: string[];
  'min-flights': string;
}

/** The exit status: 0 without alerts, 3 with. @throws Error saying why it could not run. */
export async function runMonitor(options: MonitorOptions): Promise<0 | 3> {
  if (options.logs.length === 0) throw new Error('no log file given (see --help)');
  const minFlights = Number(options['min-flights']);
  if (!Number.isInteger(minFlights) || minFlights < 0) {
    throw new Error(`--min-flights ${options['min-flights']}: not a whole number`);
  }
  const log = await readLog(options.logs);
  const cards = await readCards(options.models, log);
  const fields = [...cards.values()].flatMap((c) => Object.keys(c.trainingDistribution.fields));
  const thresholds = parseThresholds(options.threshold, [...new Set(fields), PROBABILITY]);
  const actuals: Actuals | undefined =
    options.actual === undefined ? undefined : await readActuals(options.actual);
  const models: ModelFigures[] = [...cards.values()].map((card) => {
    const flights = log.flights.filter((f) => f.model === card.name);
    return analyseModel(card, servingValues(card, flights), actuals, thresholds);
  });
  const alerts: Alert[] = models.flatMap((m) => alertsOf(m, minFlights));
  for (const line of consoleLines(log, models, alerts, actuals)) console.log(line);
  if (options.json) {
    await writeFile(options.json, `${JSON.stringify(summary(log, models, alerts), null, 2)}\n`);
  }
  if (options.out) {
    await mkdir(options.out, { recursive: true });
    await writeReport(options.out, { log, models, alerts, actuals, minFlights });
  }
  return alerts.length > 0 ? 3 : 0;
}

async function readLog(paths: readonly string[]): Promise<PredictionLog> {
  const files = await Promise.all(
    paths.map(async (path) => readLogText(path, await readFile(path, 'utf8'))),
  );
  const log = joinLogFiles(files);
  if (log.flights.length === 0) {
    throw new Error(`no prediction log entries in ${paths.join(', ')}`);
  }
  return log;
}

/** The card of every model the log names. @throws Error for a model without a card. */
async function readCards(dir: string, log: PredictionLog): Promise<Map<string, MonitoredCard>> {
  const names = [...new Set(log.flights.map((f) => f.model))].sort();
  const cards = await Promise.all(names.map((name) => readCard(dir, name)));
  return new Map(cards.map((card) => [card.name, card]));
}
