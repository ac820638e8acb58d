/**
 * The error examples of the OpenAPI document (schemas/examples/problems.json), each sent as it
 * says to a real server started as it says: with its environment, and for the 500 with model
 * runs that fail.
 */
import * as ort from 'onnxruntime-node';
import problemExamples from '../../schemas/examples/problems.json' with { type: 'json' };
import { SESSION_OPTIONS, type SessionFactory } from '../../functions/model-registry.js';
import { startServer } from './server.js';

export type ProblemStatus = keyof typeof problemExamples;

interface ExampleRequest {
  method: string;
  path: string;
  contentType?: string;
  body?: unknown;
}

/** Real sessions whose runs after the load's own test row fail. */
export const failingRuns: SessionFactory = async (onnx) => {
  const session = await ort.InferenceSession.create(onnx, SESSION_OPTIONS);
  const run = session.run.bind(session);
  let runs = 0;
  session.run = (feeds: ort.InferenceSession.FeedsType) =>
    ++runs === 1 ? run(feeds) : Promise.reject(new Error('simulated run failure'));
  return session;
};

/** The answer the function gives to the example of `status`. */
export async function sendProblemExample(status: ProblemStatus) {
  const example = problemExamples[status] as {
    env?: Record<string, string>;
    fault?: string;
    request: ExampleRequest;
  };
  const server = await startServer(
    example.env ?? {},
    example.fault ? { createSession: failingRuns } : {},
  );
  try {
    const { method, path, contentType = 'application/json', body } = example.request;
    const response = await fetch(`${server.url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : {
            headers: { 'content-type': contentType },
            body: typeof body === 'string' ? body : JSON.stringify(body),
          }),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as unknown,
    };
  } finally {
    await server.close();
  }
}
