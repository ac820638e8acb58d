/**
 * Requests without `airport` are answered byte for byte as before requests could carry it: the
 * bodies of test/fixtures/answers-before-airport.json — the examples, explained flights, a 400 and
 * the other formats — posted to the function as it is now get the status and exact text the
 * function answered then.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import recording from '../fixtures/answers-before-airport.json' with { type: 'json' };
import { readCard } from '../helpers/contract.js';
import { startServer, type TestServer } from '../helpers/server.js';

interface RecordedCase {
  name: string;
  query?: string;
  body: unknown;
  status: number;
  answer: string;
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

describe('requests without airport', () => {
  it('are answered by the models the recording was made with', () => {
    // Another model answers other numbers: the recording would then have to be made again.
    for (const [name, version] of Object.entries(recording.models)) {
      expect(readCard('models', name).version, name).toBe(version);
    }
  });

  it.each((recording.cases as RecordedCase[]).map((c) => [c.name, c] as const))(
    '%s: the same status and bytes as before',
    async (_name, { query = '', body, status, answer }) => {
      const response = await fetch(`${server.url}/predict${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(status);
      expect(await response.text()).toBe(answer);
    },
  );
});
