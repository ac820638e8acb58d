/**
 * Rejecting against scoring: 10,000 flights of 8 violations each against 10,000 valid ones on
 * /predict, 10,000 invalid calls against valid ones on /bigquery. Validation slower than the
 * body's size would let one careless client stall the instance. Round trips, alternating; medians.
 */
import { readFileSync } from 'node:fs';
import { withServers } from '../lib/process.js';
import { count, ms, section } from './markdown.js';
import type { Plan, Verdict } from './plan.js';
import { pinned, post, serverLine, sourceCommand } from './servers.js';
import { median } from './stats.js';

/** Rejecting takes at most this many times as long as scoring. */
export const TARGET_REJECTION_RATIO = 2;
const ITEMS = 10_000;
const ROUNDS = 5;
/** Eight violations: two values outside their lists, a date that is none, a number, four keys. */
const BAD_FLIGHT: unknown = JSON.parse(
  '{"OPERA":"x","TIPOVUELO":"y","Fecha-I":"z","SIGLADES":1,"a":1,"b":2,"c":3,"d":4}',
);

/** ITEMS items, cycling through `items`. */
const times = (items: readonly unknown[]) =>
  Array.from({ length: ITEMS }, (_, i) => items[i % items.length]);

/** The bodies of each endpoint: the examples' items make the valid ones. */
export function rejectionBodies() {
  const example = (name: string) =>
    JSON.parse(readFileSync(`schemas/examples/${name}.json`, 'utf8')) as unknown;
  const flights = example('flights-request') as { flights: unknown[] };
  const bigquery = example('bigquery-request') as { calls: unknown[] };
  return [
    {
      path: '/predict',
      valid: { flights: times(flights.flights) },
      invalid: { flights: times([BAD_FLIGHT]) },
    },
    {
      path: '/bigquery',
      valid: { ...bigquery, calls: times(bigquery.calls) },
      invalid: { ...bigquery, calls: times([['x', 'y', 'z', 1]]) },
    },
  ];
}

export interface Rejection {
  path: string;
  /** Round trips, in ms, in order. */
  validMs: number[];
  invalidMs: number[];
  /** Answers other than 200 to valid bodies and 400 to invalid ones. */
  faults: string[];
}

export async function measureRejection(plan: Plan, rounds = ROUNDS) {
  const command = pinned(sourceCommand(), plan.serverCpus);
  const endpoints = await withServers([command], async ([server]) => {
    const measured: Rejection[] = [];
    for (const { path, valid, invalid } of rejectionBodies()) {
      const result: Rejection = { path, validMs: [], invalidMs: [], faults: [] };
      const roundTrip = async (body: unknown, expected: number) => {
        const started = performance.now();
        const { status } = await post(server!.url + path, JSON.stringify(body));
        if (status !== String(expected)) result.faults.push(`${status}, not ${expected}`);
        return performance.now() - started;
      };
      // One uncounted round first: the model load, the JIT.
      for (let round = 0; round <= rounds; round++) {
        const [validMs, invalidMs] = [await roundTrip(valid, 200), await roundTrip(invalid, 400)];
        if (round === 0) continue;
        result.validMs.push(validMs);
        result.invalidMs.push(invalidMs);
        plan.progress(`rejection ${path}: ${ms(validMs)} ms valid, ${ms(invalidMs)} ms invalid`);
      }
      measured.push(result);
    }
    return measured;
  });
  return { serverCommand: serverLine(command), endpoints };
}

export type RejectionResult = Awaited<ReturnType<typeof measureRejection>>;

export const rejectionRatio = (r: Rejection) => median(r.invalidMs) / median(r.validMs);

export function rejectionVerdicts({ endpoints }: RejectionResult): Verdict[] {
  return endpoints.map((r) => ({
    target:
      `rejecting ${count(ITEMS)} invalid items on POST ${r.path} takes ` +
      `≤ ${TARGET_REJECTION_RATIO}× scoring as many valid ones`,
    measured: [`${rejectionRatio(r).toFixed(2)}×`, ...new Set(r.faults)].join('; '),
    met: rejectionRatio(r) <= TARGET_REJECTION_RATIO && r.faults.length === 0,
  }));
}

export function rejectionSection({ serverCommand, endpoints }: RejectionResult): string {
  const head = ['Endpoint', 'Valid', 'Invalid', 'Ratio', 'Rounds, invalid (ms)'];
  const rows = endpoints.map((r) => [
    r.path,
    `${ms(median(r.validMs))} ms`,
    `${ms(median(r.invalidMs))} ms`,
    `${rejectionRatio(r).toFixed(2)}×`,
    r.invalidMs.map((v) => ms(v)).join(', '),
  ]);
  const how = `${count(ITEMS)} items a request, round trips, ${ROUNDS} rounds; medians.`;
  return section('Rejecting against scoring', how, [head, ...rows], [serverCommand]);
}
