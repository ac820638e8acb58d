/**
 * `npm run stress -- [URL] [options]`: the seed's stress test (`wrk -t10 -c50 -d45s`) against
 * URL, or against the function started locally as `npm start` runs it when no URL is given.
 * Prints wrk's report with the responses counted by status, and fails when a run saw a status its
 * script does not expect (any non-2xx for valid bodies) or a socket error (timeouts included).
 */
import { parseArgs } from 'node:util';
import { startSource, type FunctionProcess } from './lib/process.js';
import { runProblems, WRK_SCRIPTS, type WrkScriptName } from './wrk/load-scripts.js';
import { ensureWrk, runWrk, wrkCommand, type WrkRun } from './wrk/wrk.js';

const USAGE = `Usage: npm run stress -- [URL] [-t THREADS] [-c CONNECTIONS] [-d DURATION] [--timeout T]
                          [-H HEADER]... [--script NAME]...
  URL         full URL of the endpoint the scripts load (/predict; /bigquery for bigquery);
              default: start the function locally
  -t, -c, -d  wrk's threads, connections and duration (default: the seed's -t10 -c50 -d45s)
  --timeout   wrk's per-request timeout (default 2s, wrk's own)
  -H          a request header, such as "Authorization: Bearer $(gcloud auth print-identity-token)"
              for a deployed function that requires authentication
  --script    ${Object.entries(WRK_SCRIPTS)
    .map(([name, { description }]) => `${name} (${description})`)
    .join(',\n              ')};
              repeat to run several in turn (default: seed)`;

function options() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      threads: { type: 'string', short: 't', default: '10' },
      connections: { type: 'string', short: 'c', default: '50' },
      duration: { type: 'string', short: 'd', default: '45s' },
      timeout: { type: 'string' },
      header: { type: 'string', short: 'H', multiple: true, default: [] },
      script: { type: 'string', multiple: true, default: ['seed'] },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) usage(0);
  const unknown = values.script.filter((name) => !Object.hasOwn(WRK_SCRIPTS, name));
  if (positionals.length > 1) usage(2, `one URL at most, not ${positionals.join(' ')}`);
  if (unknown.length > 0) usage(2, `unknown script "${unknown.join('", "')}"`);
  return {
    url: positionals[0],
    scripts: values.script as WrkScriptName[],
    threads: positiveInteger(values.threads, '-t'),
    connections: positiveInteger(values.connections, '-c'),
    duration: values.duration,
    timeout: values.timeout,
    headers: values.header,
  };
}

function usage(code: number, problem?: string): never {
  if (problem) console.error(`${problem}\n`);
  console.log(USAGE);
  process.exit(code);
}

function positiveInteger(text: string, flag: string): number {
  if (!/^[1-9]\d*$/.test(text)) usage(2, `${flag} must be a positive integer, not "${text}"`);
  return Number(text);
}

async function main(): Promise<number> {
  const { url, scripts, timeout, headers, ...load } = options();
  ensureWrk();
  let server: FunctionProcess | undefined;
  if (!url) {
    console.log('Starting the function locally, as `npm start` runs it...');
    server = await startSource();
  }
  let failed = false;
  try {
    for (const name of scripts) {
      const script = WRK_SCRIPTS[name];
      const run: WrkRun = {
        url: url ?? `${server!.url}${script.path}`,
        script: script.file,
        ...load,
        headers,
        ...(timeout ? { timeout } : {}),
        echo: true,
      };
      // Header values (identity tokens) stay out of the output.
      const shown = { ...run, headers: headers.map((h) => h.replace(/:.*/, ': …')) };
      console.log(`\n$ ${wrkCommand(shown).join(' ')}`);
      const problems = runProblems(script, (await runWrk(run)).result);
      failed ||= problems.length > 0;
      console.log(
        problems.length === 0
          ? `OK (${name}): every response had an expected status (${script.expectedStatuses.join(', ')}); no socket errors or timeouts.`
          : `FAILED (${name}):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      );
    }
  } finally {
    await server?.stop();
  }
  // The function's log says why it answered errors (a model missing, say).
  if (failed && server) console.log(`\nThe function's log:\n${server.output().slice(-4000)}`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
