/**
 * `npm run features -- --data PATH [--out PATH]`: writes the seed's synthetic features table
 * (input columns plus temporada_alta, dif_min, atraso_15, periodo_dia) for the valid rows, and
 * reports the rows it rejected.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DATA_OPTION, DATA_USAGE, dataPath, runCommand } from './train/command-line.js';
import { toCsv } from './train/csv.js';
import { describeDataset, readDataset } from './train/dataset.js';
import { syntheticFeatureTable } from './train/synthetic-features.js';

const DEFAULT_OUT = 'data/processed/synthetic_features.csv';

const COMMAND = {
  name: 'features',
  usage: `usage: npm run features -- --data PATH [--out PATH]

  ${DATA_USAGE}
  --out PATH   where to write the table (default ${DEFAULT_OUT}, git-ignored)`,
  options: { ...DATA_OPTION, out: { type: 'string', default: DEFAULT_OUT } },
} as const;

await runCommand(COMMAND, async (values) => {
  const dataset = await readDataset(dataPath(values.data));
  describeDataset(dataset).forEach((line) => console.log(line));
  await mkdir(dirname(values.out), { recursive: true });
  await writeFile(values.out, toCsv(syntheticFeatureTable(dataset)));
  console.log(`wrote ${dataset.flights.length} rows to ${values.out}`);
});
