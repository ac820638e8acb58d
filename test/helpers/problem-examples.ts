/**
 * The error examples of the OpenAPI document (schemas/examples/problems.json), each sent as it
 * says to a real server started as it says: with its environment, and for the 500 with model
 * runs that fail.
 */
import { request } from 'node:http';
import * as ort from 'onnxruntime-node';
import problemExamples from '../../schemas/examples/problems.json' with { type: 'json' };
import { SESSION_OPTIONS, type SessionFactory } from '../../functions/model-registry.js';
import { startServer } from './server.js';

export type ProblemExampleName = keyof typeof problemExamples;

interface ExampleRequest {
  method: string;
  path: string;
  contentType?: string;
  body?: unknown;
  /** A Content-Length announced and never sent: the body does not arrive. */
  contentLength?: number;
  /** Bytes of padding in one more header. */
  headerBytes?: number;
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
export async function sendProblemExample(name: ProblemExampleName) {
  const example = problemExamples[name] as {
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
    const { contentLength, headerBytes } = example.request;
    if (contentLength !== undefined) return await unfinished(`${server.url}${path}`, contentLength);
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': contentType }),
        ...(headerBytes === undefined ? {} : { 'x-padding': 'x'.repeat(headerBytes) }),
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
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

/** The answer to a POST announcing `contentLength` bytes of JSON and sending none. */
function unfinished(url: string, contentLength: number) {
  return new Promise<{ status: number; headers: Headers; body: unknown }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': contentLength },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (typeof value === 'string') headers.set(name, value);
          }
          resolve({ status: res.statusCode ?? 0, headers, body: JSON.parse(text) as unknown });
        });
      },
    );
    req.on('error', reject);
    req.flushHeaders();
  });
}
