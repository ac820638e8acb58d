/**
 * The model's floor, as a process of its own (pinned by the caller): ONNX Runtime alone, with the
 * function's session options, on the data set's flights encoded beforehand, BATCH_ROWS a run (by
 * default the rows `npm run predict` reads per batch of this file). Prints the rows, the batch
 * size and the rows/s of each of PASSES timed passes over every row, after an untimed one.
 *
 * `node --import=tsx scripts/bench/onnx-floor.ts DATA.csv [BATCH_ROWS]`
 */
import { readFile, stat } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { flightEncoder, type EncodedRows } from '../../functions/features.js';
import { SESSION_OPTIONS, type ModelCard } from '../../functions/model-registry.js';
import { MODEL_FOR_FORMAT } from '../../functions/request-formats.js';
import { CHUNK_BYTES } from '../predict/predict-file.js';
import { readDataset } from '../train/dataset.js';

const PASSES = 3;
const [data, batchText] = process.argv.slice(2);
if (!data || (batchText !== undefined && !(Number(batchText) > 0))) {
  throw new Error('usage: onnx-floor.ts DATA.csv [BATCH_ROWS]');
}

const name = MODEL_FOR_FORMAT.flights;
const card = JSON.parse(await readFile(`models/${name}.json`, 'utf8')) as ModelCard;
const model = await readFile(`models/${card.onnx.file}`);
const session = await ort.InferenceSession.create(model, SESSION_OPTIONS);
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
for (let i = 0; i < PASSES; i++) rowsPerSecond.push(await pass());
console.log(JSON.stringify({ rows: flights.length, batchRows, rowsPerSecond }));
