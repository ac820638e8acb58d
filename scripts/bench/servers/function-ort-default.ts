/**
 * Benchmark variant: the function exactly as functions/index.ts registers it, except that its
 * ONNX sessions use ONNX Runtime's default options instead of SESSION_OPTIONS
 * (functions/model-registry.ts), to measure what those options buy.
 */
import { http } from '@google-cloud/functions-framework';
import * as ort from 'onnxruntime-node';
import { loadConfig } from '../../../functions/config.js';
import { createHandler } from '../../../functions/handler.js';

http(
  'predict',
  createHandler(loadConfig(process.env), {
    createSession: (onnx) => ort.InferenceSession.create(onnx),
  }),
);
