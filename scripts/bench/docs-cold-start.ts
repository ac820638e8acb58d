/**
 * Cold start of POST /predict with the interactive reference in the bundle and without it
 * (`npm run build -- --no-docs`), in the same run: the reference must cost the prediction path
 * nothing, since its files are read only when /docs is first asked for. Starts alternate between
 * the two bundles, so that a slow spell of the machine falls on both.
 */
import { coldStart, coldStartResult, SEED_BODY, type ColdStart } from './cold-start.js';
import type { Plan } from './phases.js';
import type { DocsColdStarts } from './results.js';
import { bundleCommand, pinned } from './targets.js';

/** What the phase takes from the run's plan. */
export type DocsColdStartPlan = Pick<Plan, 'starts' | 'serverCpus' | 'progress'>;

/** One uncounted start of each, then `plan.starts` of each, alternating. */
export async function docsColdStarts(
  plan: DocsColdStartPlan,
  dirs: { withDocs: string; withoutDocs: string },
): Promise<DocsColdStarts> {
  const runs = {
    withDocs: pinned(bundleCommand(dirs.withDocs), plan.serverCpus),
    withoutDocs: pinned(bundleCommand(dirs.withoutDocs), plan.serverCpus),
  };
  plan.progress(`cold starts, bundle with and without /docs: 1 + ${plan.starts} each, alternating`);
  await coldStart(runs.withDocs, SEED_BODY);
  await coldStart(runs.withoutDocs, SEED_BODY);
  const starts: { withDocs: ColdStart[]; withoutDocs: ColdStart[] } = {
    withDocs: [],
    withoutDocs: [],
  };
  for (let i = 0; i < plan.starts; i++) {
    starts.withDocs.push(await coldStart(runs.withDocs, SEED_BODY));
    starts.withoutDocs.push(await coldStart(runs.withoutDocs, SEED_BODY));
  }
  const result = (key: keyof typeof runs, label: string) => {
    const measured = coldStartResult(label, true, runs[key], starts[key]);
    return { ...measured, command: measured.command.replaceAll(dirs[key], '$INSTALLED') };
  };
  const withDocs = result('withDocs', 'bundle with /docs (as deployed)');
  const withoutDocs = result('withoutDocs', 'bundle without /docs (--no-docs)');
  for (const { label, ms } of [withDocs, withoutDocs])
    plan.progress(`cold starts, ${label}: ${ms.map(Math.round).join(', ')} ms`);
  return { withDocs, withoutDocs };
}
