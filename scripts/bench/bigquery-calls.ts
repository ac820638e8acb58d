/**
 * The data set's flights as BigQuery sends the rows of a schedule table to POST /bigquery: one
 * JSON call a line, `[OPERA, TIPOVUELO, fecha_i, SIGLADES]` with `Fecha-I` in BigQuery's DATETIME
 * encoding, in file order. scripts/wrk/bigquery.lua replays such a file, so that the endpoint is
 * loaded with the very rows its floor (scripts/bench/onnx-floor.ts) is measured on: ONNX Runtime
 * scores the data set's rows nearly twice as fast as the made-up flights the script sends by
 * default (docs/BENCHMARKS.md, "The floor depends on the rows it is measured on").
 */
import { writeFile } from 'node:fs/promises';
import { readDataset } from '../train/dataset.js';

/** Writes the calls of the data set at `data` to `path`; resolves to how many it wrote. */
export async function writeBigQueryCalls(data: string, path: string): Promise<number> {
  const { flights } = await readDataset(data);
  const lines = flights.map(({ record }) =>
    JSON.stringify([
      record.OPERA,
      record.TIPOVUELO,
      record['Fecha-I'].replace(' ', 'T'),
      record.SIGLADES,
    ]),
  );
  await writeFile(path, lines.map((line) => `${line}\n`).join(''));
  return lines.length;
}
