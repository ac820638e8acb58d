/**
 * The README is a manual, so what it states must hold: its `curl` examples against localhost are
 * requests this test sends to the real function, the answer shown after each must be what the
 * function answers, its tables name every environment variable the function reads and every
 * problem kind it answers, and its links (and docs/DEPLOY.md's) lead somewhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../functions/config.js';
import { PROBLEMS } from '../functions/errors.js';
import { startServer, type TestServer } from './helpers/server.js';

const README = readFileSync('README.md', 'utf8');

interface Example {
  command: string;
  /** The endpoint the example curls, /predict or /bigquery, with its query string if any. */
  path: string;
  body: string;
  shown: string;
}

/**
 * Each `sh` block that curls localhost:8080, with its body and the `json` block after it (a
 * `prettier-ignore` comment may sit between them, to keep a long answer compact).
 */
function readmeExamples(): Example[] {
  const blocks = [
    ...README.matchAll(
      /```sh\n((?:(?!```)[\s\S])*)```\s*(?:<!-- prettier-ignore -->\s*)?```json\n([\s\S]*?)```/g,
    ),
  ];
  return blocks.flatMap(([, command, shown]) => {
    const path = /curl[^\n]*localhost:8080(\/(?:predict|bigquery)\b(?:\?[\w=&-]+)?)/.exec(
      command!,
    )?.[1];
    if (path === undefined) return [];
    const inline = /(?:-d|--data) '([\s\S]*?)'/.exec(command!)?.[1];
    const file = /--data @(\S+)/.exec(command!)?.[1];
    const body = inline ?? readFileSync(file!, 'utf8');
    return [{ command: command!, path, body, shown: shown! }];
  });
}

/**
 * Where the README abridges a string with "…", the answer's string must hold the shown pieces in
 * order; everything else must be equal, with the same keys and array lengths.
 */
function expectShown(shown: unknown, answer: unknown, at = ''): void {
  if (typeof shown === 'string' && shown.includes('…')) {
    expect(typeof answer, at).toBe('string');
    let from = 0;
    for (const piece of shown.split('…').filter((p) => p.length > 0)) {
      const found = (answer as string).indexOf(piece, from);
      expect(found, `${at}: "${piece}" is not in "${String(answer)}"`).toBeGreaterThanOrEqual(0);
      from = found + piece.length;
    }
  } else if (Array.isArray(shown)) {
    expect(answer, at).toHaveLength(shown.length);
    shown.forEach((item, i) => expectShown(item, (answer as unknown[])[i], `${at}/${i}`));
  } else if (typeof shown === 'object' && shown !== null) {
    expect(Object.keys(answer as object).sort(), at).toEqual(Object.keys(shown).sort());
    for (const [key, value] of Object.entries(shown)) {
      expectShown(value, (answer as Record<string, unknown>)[key], `${at}/${key}`);
    }
  } else {
    expect(answer, at).toEqual(shown);
  }
}

/** The cells of every table row in the README's `## section`, trimmed. */
function tableRows(section: string): string[][] {
  const start = README.indexOf(`\n## ${section}\n`);
  expect(start, `README has no "## ${section}" section`).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end === -1 ? undefined : end)
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .map((line) => line.split('|').map((cell) => cell.trim()));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^#+ (.+)$/gm)].map(([, heading]) => anchor(heading!)));
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const examples = readmeExamples();

describe('README examples', () => {
  it('has the seed, original-model, LATAM, flight, explained flight, airport, error and BigQuery examples', () => {
    expect(examples).toHaveLength(8);
  });

  it.each(examples.map((example) => [example.command.split('\n')[0], example] as const))(
    '%s',
    async (_first, { path, body, shown }) => {
      const response = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const expected = JSON.parse(shown) as unknown;
      // A problem document shows its status; any other answer is a 200.
      const { status = 200 } = expected as { status?: number };
      expect(response.status).toBe(status);
      expectShown(expected, await response.json());
    },
  );
});

describe("the airport's worked example", () => {
  it("shows the function's answers to the flights alone, on the bad morning and on the quiet one", async () => {
    const read = (name: string) =>
      JSON.parse(readFileSync(`schemas/examples/airport-${name}-morning.json`, 'utf8')) as {
        flights: Array<Record<string, string>>;
      };
    const [bad, quiet] = [read('bad'), read('quiet')];
    const answers = await Promise.all(
      [{ flights: bad.flights }, bad, quiet].map(async (body) => {
        const response = await fetch(`${server.url}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const { predictions } = (await response.json()) as {
          predictions: Array<{ probability: number }>;
        };
        return predictions.map(({ probability }) => probability.toFixed(3));
      }),
    );
    const rows = tableRows('Calling the function').filter(([, flight]) =>
      /^\d\d:\d\d /.test(flight!),
    );
    expect(rows).toHaveLength(bad.flights.length);
    rows.forEach(([, flight, ...shown], i) => {
      expect(flight).toContain(bad.flights[i]!['Fecha-I']!.slice(11, 16));
      expect(shown.slice(0, 3)).toEqual(answers.map((probabilities) => probabilities[i]));
    });
  });
});

describe('README tables', () => {
  it('Configuration names every environment variable the function reads', () => {
    const read = new Set<string>();
    const recorder = new Proxy<Record<string, string | undefined>>(
      {},
      {
        get: (_target, name) => {
          if (typeof name === 'string') read.add(name);
          return undefined;
        },
      },
    );
    loadConfig(recorder);
    const documented = tableRows('Configuration').map(([, name]) => name!.replace(/`/g, ''));
    expect(read.size).toBeGreaterThan(0);
    for (const name of read) expect(documented, `${name} is not documented`).toContain(name);
  });

  it('Errors lists every problem kind with its status', () => {
    const start = README.indexOf('### Errors');
    const rows = README.slice(start, README.indexOf('\n## ', start))
      .split('\n')
      .filter((line) => /^\| \d{3} /.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim().replace(/`/g, '')));
    const listed = rows.map(([, status, kind]) => `${kind} ${status}`).sort();
    const kinds = Object.entries(PROBLEMS).map(([kind, { status }]) => `${kind} ${status}`);
    expect(listed).toEqual(kinds.sort());
  });
});

describe.each(['README.md', 'docs/DEPLOY.md'])('links in %s', (file) => {
  const markdown = readFileSync(file, 'utf8');
  const links = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map(([, target]) => target!)
    .filter((target) => !/^[a-z]+:/.test(target));

  it.each(links)('%s', (target) => {
    const [path, fragment] = target.split('#');
    const resolved = path ? join(dirname(file), path) : file;
    expect(existsSync(resolved), `${resolved} does not exist`).toBe(true);
    if (fragment) expect(anchorsOf(readFileSync(resolved, 'utf8'))).toContain(fragment);
  });
});
