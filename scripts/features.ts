/**
 * `npm run features -- [--data PATH] [--out PATH]`: writes the seed's synthetic features table
 * (input columns plus temporada_alta, dif_min, atraso_15, periodo_dia) for the valid rows, and
 * reports the rows it rejected.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { toCsv } from './train/csv.js';
import { DEFAULT_DATA_PATH, describeDataset, readDataset } from './train/dataset.js';
import { syntheticFeatureTable } from './train/synthetic-features.js';

const DEFAULT_OUT = 'data/processed/synthetic_features.csv';

const USAGE = `usage: npm run features -- [--data PATH] [--out PATH]

  --data PATH  flights CSV (default ${DEFAULT_DATA_PATH})
  --out PATH   where to write the table (default ${DEFAULT_OUT})`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: DEFAULT_DATA_PATH },
      out: { type: 'string', default: DEFAULT_OUT },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  const dataset = await readDataset(values.data);
  describeDataset(dataset).forEach((line) => console.log(line));
  await mkdir(dirname(values.out), { recursive: true });
  await writeFile(values.out, toCsv(syntheticFeatureTable(dataset)));
  console.log(`wrote ${dataset.flights.length} rows to ${values.out}`);
}

main().catch((error: unknown) => {
  console.error(`features failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
