/**
 * `"explain": true` through the real function: explanations that add up to the served logit, on
 * the committed models and on one with a calibration step; loaded only when asked for, checked
 * against the card; and bounded by MAX_EXPLAINED_FLIGHTS.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { problemType } from '../../../functions/errors.js';
import type { ModelCard } from '../../../functions/model-registry.js';
import { xgboostToOnnx } from '../../../scripts/onnx/tree-ensemble.js';
import { directProbabilities, example, expectSchema, readCard } from '../../helpers/contract.js';
import { copyModels, type ModelsCopy } from '../../helpers/models.js';
import { post, startServer, type TestServer } from '../../helpers/server.js';
import { sha256 } from '../../../scripts/train/card.js';

interface Explained {
  predictions: Array<{
    probability: number;
    delayed: boolean;
    explanation: {
      base: number;
      contributions: Array<{ field: string; value: unknown; contribution: number }>;
    };
  }>;
}

const { flights } = example<{ flights: Array<Record<string, string>> }>('flights-request');
const README_FLIGHTS = [
  {
    OPERA: 'Grupo LATAM',
    TIPOVUELO: 'N',
    'Fecha-I': '2017-07-14 08:30:00',
    SIGLADES: 'Antofagasta',
  },
  {
    OPERA: 'Sky Airline',
    TIPOVUELO: 'I',
    'Fecha-I': '2017-12-22T23:10:00-03:00',
    SIGLADES: 'Lima',
  },
];
const logit = (p: number) => Math.log(p / (1 - p));

let models: ModelsCopy;
let server: TestServer | undefined;
beforeEach(() => (models = copyModels()));
afterEach(async () => {
  await server?.close();
  server = undefined;
  models.remove();
});

async function start(env: Record<string, string> = {}) {
  server = await startServer({ MODELS_DIR: models.dir, ...env });
  return server;
}

async function explained(s: TestServer, body: unknown): Promise<Explained> {
  const response = await post(s, '/predict', body);
  expect(response.status).toBe(200);
  const answer = (await response.json()) as Explained;
  expectSchema('flights-response.schema.json', answer);
  return answer;
}

/** Asserts base + Σ contributions is the logit of the model's own unrounded probability. */
async function expectAdditive(answer: Explained, sent: Array<Record<string, string>>) {
  const probabilities = await directProbabilities(models.dir, 'schedule', sent);
  answer.predictions.forEach(({ explanation }, i) => {
    const total = explanation.contributions.reduce(
      (sum, c) => sum + c.contribution,
      explanation.base,
    );
    expect(Math.abs(total - logit(probabilities[i]!))).toBeLessThanOrEqual(1e-5);
  });
}

describe('"explain": true', () => {
  it('explains each prediction by field, adding up to the logit of its probability', async () => {
    const s = await start();
    const answer = await explained(s, { flights: README_FLIGHTS, explain: true });
    await expectAdditive(answer, README_FLIGHTS);
    const [latam, sky] = answer.predictions.map(({ explanation }) =>
      Object.fromEntries(explanation.contributions.map((c) => [c.field, c.value])),
    );
    expect(latam).toMatchObject({ OPERA: 'Grupo LATAM', TIPOVUELO: 'N', SIGLADES: 'Antofagasta' });
    // 23:10 at -03:00 is 23:10 in Santiago in December (summer time): a Friday night.
    expect(sky).toMatchObject({ OPERA: 'Sky Airline', MES: 12, DIANOM: 'Viernes', hora: '23:10' });
    for (const { explanation } of answer.predictions) {
      const sizes = explanation.contributions.map((c) => Math.abs(c.contribution));
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    }
  });

  it('gives the same probabilities and decisions as the request without it', async () => {
    const s = await start();
    const plain = (await (await post(s, '/predict', { flights })).json()) as Explained;
    const answer = await explained(s, { flights, explain: true });
    expect(
      answer.predictions.map(({ probability, delayed }) => ({ probability, delayed })),
    ).toEqual(plain.predictions);
    await expectAdditive(answer, flights);
  });

  it('changes nothing when false, and loads no trees until a request asks', async () => {
    const s = await start();
    const plain = await (await post(s, '/predict', { flights })).text();
    expect(await (await post(s, '/predict', { flights, explain: false })).text()).toBe(plain);
    expect(s.logs.map((line) => line.message)).not.toContainEqual(
      expect.stringMatching(/explainer/),
    );
    await explained(s, { flights, explain: true });
    expect(s.logs.map((line) => line.message)).toContain('explainer of model schedule loaded');
  });

  it('explains on the scale of a calibrated model: slope × trees, base mapped like a margin', async () => {
    const card = readCard(models.dir, 'schedule');
    const calibration = { slope: 0.8, intercept: -0.3 };
    const trees: unknown = JSON.parse(models.read(card.xgboost.file).toString('utf8'));
    const onnx = xgboostToOnnx(trees, { calibration });
    models.write(card.onnx.file, onnx);
    const calibrated: ModelCard = {
      ...card,
      calibration: { ...card.calibration, method: 'platt', ...calibration },
      onnx: { ...card.onnx, sha256: sha256(onnx) },
    } as ModelCard;
    models.write('schedule.json', JSON.stringify(calibrated));
    const s = await start();
    await expectAdditive(await explained(s, { flights, explain: true }), flights);
  });
});

describe('bad explanation requests', () => {
  it.each([
    ['a non-boolean explain', { flights, explain: 'yes' }, 400, /\/explain/],
    [
      'explain in the seed format',
      { ...example<object>('seed-request'), explain: true },
      400,
      /explain/,
    ],
  ])('refuses %s', async (_name, body, status, detail) => {
    const s = await start();
    const response = await post(s, '/predict', body);
    expect(response.status).toBe(status);
    expect(JSON.stringify(await response.json())).toMatch(detail);
  });

  it('refuses more than MAX_EXPLAINED_FLIGHTS explained flights, naming the limit', async () => {
    const s = await start({ MAX_EXPLAINED_FLIGHTS: '2' });
    const three = [...README_FLIGHTS, README_FLIGHTS[0]!];
    const response = await post(s, '/predict', { flights: three, explain: true });
    expect(response.status).toBe(413);
    const problem = (await response.json()) as { type: string; detail: string };
    expectSchema('problem.schema.json', problem);
    expect(problem.type).toBe(problemType('too-many-flights'));
    expect(problem.detail).toBe(
      '"flights" holds 3 flights; at most 2 are explained per request (MAX_EXPLAINED_FLIGHTS)',
    );
    expect((await post(s, '/predict', { flights: three })).status).toBe(200);
  });
});

describe('the trees behind explanations', () => {
  const unavailable = async (s: TestServer, reason: string) => {
    const response = await post(s, '/predict', { flights, explain: true });
    expect(response.status).toBe(503);
    const problem = (await response.json()) as { type: string; detail: string };
    expect(problem.type).toBe(problemType('model-unavailable'));
    expect(problem.detail).toContain(reason);
  };

  it('are needed only by explained requests, and tried again after a failed load', async () => {
    const file = readCard(models.dir, 'schedule').xgboost.file;
    const bytes = models.read(file);
    models.write(file, '');
    const s = await start();
    expect((await post(s, '/predict', { flights })).status).toBe(200);
    await unavailable(s, `${file} has SHA-256`);
    models.write(file, bytes);
    await explained(s, { flights, explain: true });
  });

  it('must match the SHA-256 in the card', async () => {
    const file = readCard(models.dir, 'schedule').xgboost.file;
    const text = readFileSync(models.path(file), 'utf8');
    models.write(file, text.replace('"base_score":"', '"base_score":"0'));
    await unavailable(await start(), 'but its card expects');
  });
});
