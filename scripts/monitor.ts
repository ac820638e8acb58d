/**
 * npm run monitor: is the model still right? Reads prediction log entries, compares each week's
 * traffic with the training baseline in the model's card, estimates performance from the
 * probabilities and, given the actual departures, measures it; writes a report and a JSON summary
 * and exits 0 (no alert), 3 (alerts) or 2 (could not run).
 */
import { parseCommandLine } from './command-line.js';
import { runMonitor } from './monitor/run.js';

const USAGE = `usage: npm run monitor -- [options] LOG_FILE...

Reads the prediction log (LOG_PREDICTIONS) from each LOG_FILE: the function's stdout (other lines
are skipped), Cloud Logging's export (gcloud logging read --format=json) or the BigQuery sink's
rows (bq query --format=json, or newline-delimited JSON). Per ISO week of scheduled departure
(of logging for vuelos and LATAM flights, which carry no date): input and prediction drift against
the card's training baseline, estimated ROC AUC and F1 and, with --actual, realized ROC AUC, log
loss and ECE.

options:
  --models DIR        model cards, models/<name>.json (default: models)
  --actual FILE       actual departures: a CSV with Fecha-I, Fecha-O, OPERA, TIPOVUELO, SIGLADES
                      (the data set's layout)
  --out DIR           write DIR/report.md and its SVG charts
  --json FILE         write the summary (alerts, figures) as JSON
  --threshold X       drift threshold for every field (defaults: 0.3 categorical, L-infinity;
  --threshold F=X     0.2 numerical, Jensen–Shannon distance); F=X for field F; repeatable
  --min-flights N     a week's drift alerts need N flights (default 200)
  -h, --help          print this and exit

exit status: 0 no alert, 3 alerts, 2 could not run (one line says why)`;

const { values, positionals } = parseCommandLine({
  name: 'monitor',
  usage: USAGE,
  options: {
    models: { type: 'string', default: 'models' },
    actual: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'string' },
    threshold: { type: 'string', multiple: true, default: [] },
    'min-flights': { type: 'string', default: '200' },
  },
  allowPositionals: true,
});

try {
  process.exitCode = await runMonitor({ ...values, logs: positionals });
} catch (error) {
  console.error(`monitor: ${(error as Error).message}`);
  process.exitCode = 2;
}
