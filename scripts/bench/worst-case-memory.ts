/**
 * Memory under the worst requests: as many clients as an instance admits at once
 * (max_instance_request_concurrency, the Terraform default) each sending a 32 MiB body back to
 * back to the bundled function for LOAD_MS, honouring Retry-After when turned away. Peak RSS is
 * the server's VmHWM; RSS is read again SETTLE_MS after the load stops. Each case gets a fresh
 * server, so that each peak is its own.
 */
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { processMemory, type ProcessMemory } from './process-usage.js';
import type { WorstCaseMemory } from './results.js';
import { serverLine, startCommand, type Command } from './targets.js';
import type { WorstBody } from './worst-bodies.js';

export const LOAD_MS = 20_000;
export const SETTLE_MS = 30_000;
const SAMPLE_MS = 100;

/** Bytes of a Cloud Run memory setting: a whole number and k, M, G (powers of 10), Mi or Gi. */
export function memoryBytes(setting: string): number {
  const match = /^(\d+)(k|M|G|Mi|Gi)$/.exec(setting);
  if (!match) throw new Error(`not a Cloud Run memory setting: ${setting}`);
  const unit = { k: 1e3, M: 1e6, G: 1e9, Mi: 2 ** 20, Gi: 2 ** 30 }[match[2] as 'k'];
  return Number(match[1]) * unit;
}

export interface MemoryCase {
  body: WorstBody;
  /** BODY_BUDGET_MIB for the server; undefined leaves the function's default. */
  budgetMiB?: number;
}

export async function worstCaseMemory(
  command: Command,
  cases: readonly MemoryCase[],
  options: {
    concurrency: number;
    memoryLimitBytes: number;
    progress: (line: string) => void;
    /** Shorter than LOAD_MS and SETTLE_MS in tests only. */
    loadMs?: number;
    settleMs?: number;
  },
): Promise<WorstCaseMemory> {
  const { concurrency, memoryLimitBytes, loadMs = LOAD_MS, settleMs = SETTLE_MS } = options;
  const results: WorstCaseMemory['cases'] = [];
  for (const { body, budgetMiB } of cases) {
    const env = budgetMiB === undefined ? {} : { BODY_BUDGET_MIB: String(budgetMiB) };
    const caseCommand = { ...command, env: { ...command.env, ...env } };
    const label = `${body.name} bodies, ${budgetMiB === undefined ? 'default budget' : `BODY_BUDGET_MIB=${budgetMiB}`}`;
    options.progress(`worst-case memory: ${concurrency} clients, ${label}`);
    const server = await startCommand(caseCommand);
    try {
      const pid = server.child.pid!;
      const idleRssBytes = processMemory(pid).rssBytes;
      // Sampled, not read once at the end: a server that dies of its load keeps its last peak.
      let peakRssBytes = idleRssBytes;
      const sampler = setInterval(() => {
        peakRssBytes = memoryOf(pid)?.peakRssBytes ?? peakRssBytes;
      }, SAMPLE_MS);
      const statuses = await sendForAWhile(server.url, body.bytes, concurrency, loadMs).finally(
        () => clearInterval(sampler),
      );
      await sleep(settleMs);
      const rssAfterBytes = memoryOf(pid)?.rssBytes;
      const crashed = rssAfterBytes === undefined;
      options.progress(
        `worst-case memory, ${label}: peak ${Math.round(peakRssBytes / 2 ** 20)} MiB, ` +
          (rssAfterBytes === undefined
            ? 'the server died'
            : `${Math.round(rssAfterBytes / 2 ** 20)} MiB ${settleMs / 1000} s after`) +
          `; ${JSON.stringify(statuses)}`,
      );
      results.push({
        body: body.name,
        description: body.description,
        bodyBytes: body.bytes.length,
        budgetMiB,
        serverCommand: serverLine(caseCommand),
        statuses,
        idleRssBytes,
        peakRssBytes,
        rssAfterBytes,
        ...(crashed ? { death: lastLine(server.output()) } : {}),
      });
    } finally {
      await server.stop();
    }
  }
  return { concurrency, memoryLimitBytes, loadMs, settleMs, cases: results };
}

/** `clients` loops posting `body` for `ms`; answers counted by status. */
async function sendForAWhile(url: string, body: Buffer, clients: number, ms: number) {
  const statuses: Record<string, number> = {};
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const until = performance.now() + ms;
  const client = async () => {
    while (performance.now() < until) {
      const { status, retryAfterS } = await post(url, body, agent);
      statuses[status] = (statuses[status] ?? 0) + 1;
      // Nothing listens any more: the server has died of its load.
      if (status === 'ECONNREFUSED') return;
      if (retryAfterS) await sleep(retryAfterS * 1000);
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, client));
  } finally {
    agent.destroy();
  }
  return statuses;
}

function post(
  url: string,
  body: Buffer,
  agent: Agent,
): Promise<{ status: string; retryAfterS: number }> {
  return new Promise((resolve) => {
    const req = request(
      `${url}/predict`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: String(res.statusCode),
            retryAfterS: Number(res.headers['retry-after'] ?? 0),
          }),
        );
      },
    );
    // A connection the server closes mid-upload is counted, not fatal.
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ status: error.code ?? 'error', retryAfterS: 0 }),
    );
    req.end(body);
  });
}

/** The last line a dead server wrote that says why: V8's `FATAL ERROR: …`, or the last one. */
function lastLine(output: string): string {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  return (lines.find((line) => line.includes('FATAL ERROR')) ?? lines.at(-1) ?? 'no output').slice(
    0,
    200,
  );
}

/** The process's memory, or undefined once it has died (its /proc entry gone or a zombie's). */
function memoryOf(pid: number): ProcessMemory | undefined {
  try {
    return processMemory(pid);
  } catch {
    return undefined;
  }
}
