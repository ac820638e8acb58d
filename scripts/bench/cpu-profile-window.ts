/**
 * Preloaded into a server under test (`node --import`): the V8 CPU profiler — the one
 * `node --cpu-prof` runs — started by a first SIGUSR2 and stopped by a second, which writes the
 * profile (.cpuprofile format) to CPU_PROFILE_FILE. `--cpu-prof` profiles the whole life of the
 * process, start-up and warm-up included; this profiles exactly the window the benchmark measures.
 * Writes `{"cpuProfile":"started"}` and `{"cpuProfile":"written"}` to stdout as it goes.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const file = process.env.CPU_PROFILE_FILE;
if (!file) throw new Error('CPU_PROFILE_FILE is not set');

const session = new Session();
session.connect();
let running = false;

async function toggle(path: string) {
  if (!running) {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    running = true;
    process.stdout.write(`${JSON.stringify({ cpuProfile: 'started' })}\n`);
    return;
  }
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(path, JSON.stringify(profile));
  running = false;
  process.stdout.write(`${JSON.stringify({ cpuProfile: 'written' })}\n`);
}

process.on('SIGUSR2', () => void toggle(file));
