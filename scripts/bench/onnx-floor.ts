/**
 * The model's floor, run as its own process (pinned by the caller): ONNX Runtime alone, with the
 * function's session options, on the data set's flights encoded beforehand, in batches of a
 * given size (by default the rows `npm run predict` reads per batch of this file). Reading, validating, encoding and answering cost nothing here, so no path that
 * scores flights with this model can go faster. Prints one JSON object: rows, batch size and
 * the rows/s of each timed pass over every row (a first pass warms the session and is not timed).
 *
 * `node --import=tsx scripts/bench/onnx-floor.ts DATA.csv PASSES [BATCH_ROWS]`
 */
import { readFile, stat } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { flightEncoder, type EncodedRows } from '../../functions/features.js';
import { SESSION_OPTIONS, type ModelCard } from '../../functions/model-registry.js';
import { MODEL_FOR_FORMAT } from '../../functions/request-formats.js';
import { CHUNK_BYTES } from '../predict/predict-file.js';
import { readDataset } from '../train/dataset.js';

const [data, passesText, batchText] = process.argv.slice(2);
const passes = Number(passesText);
if (!data || !(passes > 0) || (batchText !== undefined && !(Number(batchText) > 0))) {
  throw new Error('usage: onnx-floor.ts DATA.csv PASSES [BATCH_ROWS]');
}

const name = MODEL_FOR_FORMAT.flights;
const card = JSON.parse(await readFile(`models/${name}.json`, 'utf8')) as ModelCard;
const session = await ort.InferenceSession.create(
  await readFile(`models/${card.onnx.file}`),
  SESSION_OPTIONS,
);
const flights = (await readDataset(data)).flights.map((flight) => flight.record);
const batchRows = batchText
  ? Number(batchText)
  : Math.round((flights.length * CHUNK_BYTES) / (await stat(data)).size);
const encode = flightEncoder(card.features);
const batches: EncodedRows[] = [];
for (let start = 0; start < flights.length; start += batchRows) {
  batches.push(encode(flights.slice(start, start + batchRows)));
}

/** One run over every batch, as the function runs one: a tensor per batch, the delayed output. */
async function pass(): Promise<number> {
  const started = performance.now();
  for (const rows of batches) {
    const input = new ort.Tensor('float32', rows.data, [rows.rows, rows.width]);
    await session.run({ [card.onnx.input]: input }, [card.onnx.output]);
  }
  return flights.length / ((performance.now() - started) / 1000);
}

await pass();
const rowsPerSecond: number[] = [];
for (let i = 0; i < passes; i++) rowsPerSecond.push(await pass());
console.log(JSON.stringify({ rows: flights.length, batchRows, rowsPerSecond }));
