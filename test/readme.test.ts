/**
 * The README's `curl` examples against localhost are requests this test sends to the real
 * function; the answer shown after each must be what the function answers.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

interface Example {
  command: string;
  /** The endpoint the example curls: /predict or /bigquery. */
  path: string;
  body: string;
  shown: string;
}

/** Each `sh` block that curls localhost:8080, with its body and the `json` block after it. */
function readmeExamples(): Example[] {
  const readme = readFileSync('README.md', 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```\s*```json\n([\s\S]*?)```/g)];
  return blocks.flatMap(([, command, shown]) => {
    const path = /curl[^\n]*localhost:8080(\/predict|\/bigquery)\b/.exec(command!)?.[1];
    if (path === undefined) return [];
    const inline = /(?:-d|--data) '([\s\S]*?)'/.exec(command!)?.[1];
    const file = /--data @(\S+)/.exec(command!)?.[1];
    const body = inline ?? readFileSync(file!, 'utf8');
    return [{ command: command!, path, body, shown: shown! }];
  });
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const examples = readmeExamples();

describe('README examples', () => {
  it('has the seed, flight, explained flight, error and BigQuery examples', () => {
    expect(examples).toHaveLength(5);
  });

  it.each(examples.map((example) => [example.command.split('\n')[0], example] as const))(
    '%s',
    async (_first, { path, body, shown }) => {
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const answer = (await response.json()) as {
        status?: number;
        errors?: Array<{ pointer: string }>;
      };
      if (!shown.includes('…')) {
        expect(response.status).toBe(200);
        expect(answer, 'the README shows a stale answer').toEqual(JSON.parse(shown));
        return;
      }
      // Abridged problem document: its status and every pointer shown must be in the answer.
      expect(response.status).toBe(Number(/"status": (\d+)/.exec(shown)?.[1]));
      const pointers = [...shown.matchAll(/"pointer": "([^"]*)"/g)].map(([, pointer]) => pointer);
      expect(answer.errors?.map((e) => e.pointer)).toEqual(pointers);
    },
  );
});
