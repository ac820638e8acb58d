/**
 * Memory under the worst requests: as many clients as an instance admits at once (Terraform's
 * default max_instance_request_concurrency) each send 32 MiB bodies back to back, honouring
 * Retry-After, to the installed bundle run with the deployment's NODE_OPTIONS: a padded valid
 * batch, then JSON holding as many objects as 32 MiB allows. Peak RSS is VmHWM, sampled so that a
 * server killed by its load keeps its last peak.
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_BODY_BYTES } from '../../functions/intake.js';
import * as hcl from '../lib/hcl.js';
import { withServers } from '../lib/process.js';
import { count, mebibytes, section } from './markdown.js';
import type { Plan, Verdict } from './plan.js';
import { bundleCommand, memoryField, pinned, post, serverLine } from './servers.js';

/** The deployed memory holds the worst-case peak this many times over. */
export const MEMORY_HEADROOM = 2;
const LOAD_MS = 20_000;
/** After the load: long enough for a server dying of it to be gone. */
const SETTLE_MS = 5_000;
const FLIGHTS = 10_000;

export interface WorstCaseMemory {
  concurrency: number;
  loadMs: number;
  memoryLimitBytes: number;
  serverCommand: string;
  cases: Array<{
    body: string;
    /** Answers by status (or socket error code). */
    statuses: Record<string, number>;
    peakRssBytes: number;
    /** Why the server died under the load (V8's FATAL ERROR line); absent when it survived. */
    death?: string;
  }>;
}

/** Bytes of a Cloud Run memory setting: a whole number and k, M, G (powers of 10), Mi or Gi. */
export function memoryBytes(setting: string): number {
  const match = /^(\d+)(k|M|G|Mi|Gi)$/.exec(setting);
  if (!match) throw new Error(`not a Cloud Run memory setting: ${setting}`);
  return Number(match[1]) * { k: 1e3, M: 1e6, G: 1e9, Mi: 2 ** 20, Gi: 2 ** 30 }[match[2] as 'k'];
}

/** The bundle installed in `dir` under each worst body, `loadMs` each (shorter in tests only). */
export async function measureWorstCaseMemory(plan: Plan, dir: string, loadMs = LOAD_MS) {
  const terraform = await hcl.readConfiguration();
  const concurrency = hcl.optionalNumber(terraform, 'service', 'max_instance_request_concurrency');
  const memory = hcl
    .optionalAttributes(terraform, 'service')
    .find((a) => a.name === 'available_memory');
  const memoryLimitBytes = memoryBytes(JSON.parse(memory?.default ?? '""') as string);
  // The heap limit is the deployment's (terraform/main.tf): it decides the peak.
  const [, fn] = hcl.onlyResource(terraform, 'google_cloudfunctions2_function');
  const deployed = hcl.block(fn, 'service_config').environment_variables as Record<string, string>;
  const env = { NODE_OPTIONS: String(deployed.NODE_OPTIONS) };
  const command = pinned(bundleCommand(dir, env), plan.serverCpus);
  const cases: WorstCaseMemory['cases'] = [];
  const bodies = { valid: paddedBatch(), garbage: objectGarbage() };
  for (const [body, bytes] of Object.entries(bodies)) {
    plan.progress(`worst-case memory: ${concurrency} clients sending 32 MiB ${body} bodies`);
    await withServers([command], async ([server]) => {
      const pid = server!.child.pid!;
      let peakRssBytes = 0;
      const sampler = setInterval(() => {
        peakRssBytes = memoryField(pid, 'VmHWM') ?? peakRssBytes;
      }, 100);
      const statuses = await sendForAWhile(server!.url, bytes, concurrency, loadMs).finally(() =>
        clearInterval(sampler),
      );
      await sleep(SETTLE_MS);
      const alive = memoryField(pid, 'VmRSS') !== undefined;
      const death = /FATAL ERROR.*/.exec(server!.output())?.[0] ?? 'exited';
      cases.push({ body, statuses, peakRssBytes, ...(alive ? {} : { death }) });
      plan.progress(
        `worst-case memory, ${body}: peak ${mebibytes(peakRssBytes)}; ${JSON.stringify(statuses)}`,
      );
    });
  }
  const serverCommand = serverLine(command).replaceAll(dir, '$INSTALLED');
  return { concurrency, loadMs, memoryLimitBytes, serverCommand, cases } satisfies WorstCaseMemory;
}

/** A valid batch of FLIGHTS data-set rows, unused text columns padded: nearly `size` bytes. */
export function paddedBatch(size = MAX_BODY_BYTES): Blob {
  const example = JSON.parse(readFileSync('schemas/examples/dataset-row-request.json', 'utf8')) as {
    flights: Array<Record<string, unknown>>;
  };
  const row: Record<string, unknown> = { ...example.flights[0], 'Vlo-I': '' };
  // The schema's longest value for the data set's unused text columns.
  for (const column of ['Ori-I', 'Des-I', 'Emp-I', 'Ori-O', 'Des-O', 'Emp-O', 'SIGLAORI']) {
    row[column] = 'X'.repeat(100);
  }
  // The flight number has no length limit: it takes what is left.
  const rows = Array(FLIGHTS).fill(JSON.stringify(row)).join(',');
  const pad = Math.floor((size - Buffer.byteLength(`{"flights":[${rows}]}`)) / FLIGHTS);
  const padded = JSON.stringify({ ...row, 'Vlo-I': '9'.repeat(pad) });
  return new Blob([`{"flights":[${Array(FLIGHTS).fill(padded).join(',')}]}`]);
}

/** JSON that fails validation at its first field, holding `{}` after `{}`: `size` bytes. */
export function objectGarbage(size = MAX_BODY_BYTES): Blob {
  const head = '{"flights":[{"Vlo-I":[';
  const tail = ']}]}';
  const room = size - head.length - tail.length;
  const objects = Math.floor((room + 1) / 3);
  const spaces = room - (objects * 3 - 1);
  return new Blob([head + Array(objects).fill('{}').join(',') + ' '.repeat(spaces) + tail]);
}

/** `clients` loops posting `body` to /predict for `ms`; answers counted by status. */
async function sendForAWhile(url: string, body: Blob, clients: number, ms: number) {
  const statuses: Record<string, number> = {};
  const until = performance.now() + ms;
  const client = async () => {
    while (performance.now() < until) {
      const { status, retryAfterS } = await post(`${url}/predict`, body);
      statuses[status] = (statuses[status] ?? 0) + 1;
      // Nothing listens any more: the server has died of its load.
      if (status === 'ECONNREFUSED') return;
      if (retryAfterS) await sleep(retryAfterS * 1000);
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return statuses;
}

export function worstCaseVerdicts({ cases, memoryLimitBytes }: WorstCaseMemory): Verdict[] {
  const peak = Math.max(...cases.map((c) => c.peakRssBytes));
  const deaths = cases.flatMap((c) => (c.death ? [`died (${c.body}: ${c.death})`] : []));
  return [
    {
      target:
        `worst-case peak RSS × ${MEMORY_HEADROOM} ≤ the Terraform default available_memory ` +
        `(${mebibytes(memoryLimitBytes)}), the server alive`,
      measured: [mebibytes(peak), ...deaths].join('; '),
      met: peak * MEMORY_HEADROOM <= memoryLimitBytes && deaths.length === 0,
    },
  ];
}

export function worstCaseSection(worst: WorstCaseMemory): string {
  const head = ['32 MiB bodies', 'Answers', 'Peak RSS', 'Server'];
  const rows = worst.cases.map((c) => [
    c.body,
    Object.entries(c.statuses)
      .map(([status, n]) => `${count(n)} × ${status}`)
      .join(', '),
    mebibytes(c.peakRssBytes),
    c.death === undefined ? 'alive' : `died: \`${c.death}\``,
  ]);
  const how =
    `${worst.concurrency} clients, ${worst.loadMs / 1000} s per body; ` +
    `available_memory ${mebibytes(worst.memoryLimitBytes)}.`;
  return section('Worst-case memory', how, [head, ...rows], [worst.serverCommand]);
}
