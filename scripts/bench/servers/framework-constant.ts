/**
 * Benchmark baseline: a Functions Framework function that answers every request with a constant,
 * the seed's response to its two-flight body. It pays for everything the framework does (Express,
 * body parsing) and nothing of ours, so its throughput is the ceiling for any function.
 */
import { http } from '@google-cloud/functions-framework';

http('predict', (_req, res) => {
  res.json([0, 1]);
});
