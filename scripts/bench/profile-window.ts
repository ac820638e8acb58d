/**
 * Preloaded into a server under test (`node --import`): a V8 profiler started by a first SIGUSR2
 * and stopped by a second, which writes the profile to PROFILE_FILE. PROFILE names the profiler:
 * `cpu`, the one `node --cpu-prof` runs (.cpuprofile format), or `heap`, the sampling heap
 * profiler (.heapprofile format). `--cpu-prof` and `--heap-prof` profile the whole life of the
 * process, start-up and warm-up included; this profiles exactly the window the benchmark
 * measures. Writes `{"profile":"started"}` and `{"profile":"written"}` to stdout as it goes.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const file = process.env.PROFILE_FILE;
if (!file) throw new Error('PROFILE_FILE is not set');

const session = new Session();
session.connect();

// Every sampled allocation stays in the heap profile, collected or not: what a request allocates,
// not what it leaves behind. (Node's typings do not list these two parameters yet.)
const HEAP_SAMPLING = {
  samplingInterval: 1024,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
};

const PROFILERS = {
  cpu: {
    start: async () => {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    },
    stop: async (): Promise<object> => (await session.post('Profiler.stop')).profile,
  },
  heap: {
    start: () => session.post('HeapProfiler.startSampling', HEAP_SAMPLING),
    stop: async (): Promise<object> => (await session.post('HeapProfiler.stopSampling')).profile,
  },
};

const kind = process.env.PROFILE ?? '';
if (!(kind in PROFILERS)) throw new Error(`PROFILE must be cpu or heap, not "${kind}"`);
const profiler = PROFILERS[kind as keyof typeof PROFILERS];
let running = false;

async function toggle(path: string) {
  if (!running) {
    await profiler.start();
    running = true;
    process.stdout.write(`${JSON.stringify({ profile: 'started' })}\n`);
    return;
  }
  writeFileSync(path, JSON.stringify(await profiler.stop()));
  running = false;
  process.stdout.write(`${JSON.stringify({ profile: 'written' })}\n`);
}

process.on('SIGUSR2', () => void toggle(file));
