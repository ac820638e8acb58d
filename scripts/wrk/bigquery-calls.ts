/**
 * The data set's flights as BigQuery sends a schedule table's rows to POST /bigquery: one JSON
 * call a line, `[OPERA, TIPOVUELO, fecha_i, SIGLADES]` with `Fecha-I` in BigQuery's DATETIME
 * encoding, in file order — the file that scripts/wrk/bigquery.lua replays after `-- N FILE`.
 */
import { writeFile } from 'node:fs/promises';
import { readDataset } from '../train/dataset.js';

/** Writes the calls of the data set at `data` to `path`; resolves to how many it wrote. */
export async function writeBigQueryCalls(data: string, path: string): Promise<number> {
  const { flights } = await readDataset(data);
  const lines = flights.map(({ record: r }) =>
    JSON.stringify([r.OPERA, r.TIPOVUELO, r['Fecha-I'].replace(' ', 'T'), r.SIGLADES]),
  );
  await writeFile(path, lines.map((line) => `${line}\n`).join(''));
  return lines.length;
}
