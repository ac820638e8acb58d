/** What each measurement of `npm run bench` takes from the run, and what a target's check gives. */
import type { WrkLoad } from '../wrk/wrk.js';

export interface Plan {
  /** The seed's load: its body, threads and connections (wrk pinned to its CPUs, if any). */
  load: WrkLoad;
  /** CPUs the servers are pinned to: one, as a deployed instance has. */
  serverCpus?: string;
  /** Each measured run of the load comparison, and the uncounted one before. */
  duration: string;
  warmup: string;
  /** Rounds of the load comparison. */
  repeats: number;
  /** Requests the function answers under the seed's load before the soak's last RSS reading. */
  soakRequests: number;
  /** Measured cold starts per bundle. */
  starts: number;
  /** The data set that `npm run predict`, /bigquery and the explainer are measured on. */
  data: string;
  progress: (line: string) => void;
}

/** One target of the issues, checked against one run. */
export interface Verdict {
  target: string;
  measured: string;
  met: boolean;
}
