/**
 * Structured log lines in Cloud Logging's JSON format: one JSON object per stdout line, which the
 * Cloud Run logging agent turns into a LogEntry (`severity`, `message`, trace, `httpRequest`).
 */

export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL';

export type LogFields = Record<string, unknown>;

/** Writes one structured line. */
export type Log = (severity: Severity, message: string, fields?: LogFields) => void;

/** A logger writing lines to `write`: stdout by default, a buffer in tests. */
export function createLog(
  write: (line: string) => void = (line) => process.stdout.write(line),
): Log {
  return (severity, message, fields = {}) => {
    write(`${JSON.stringify({ severity, message, ...fields })}\n`);
  };
}

/**
 * The log fields linking a line to the request's trace, from `X-Cloud-Trace-Context:
 * TRACE_ID/SPAN_ID;o=OPTIONS`. Without a project the trace id is kept under a plain key, since
 * Cloud Logging only links the full `projects/P/traces/T` form.
 */
export function traceFields(header: string | undefined, project: string | undefined): LogFields {
  const match = header ? /^([0-9a-fA-F]{32})(?:\/(\d+))?/.exec(header) : null;
  if (!match) return {};
  const [, traceId, spanId] = match;
  if (!project) return { traceId };
  return {
    'logging.googleapis.com/trace': `projects/${project}/traces/${traceId}`,
    ...(spanId ? { 'logging.googleapis.com/spanId': spanId } : {}),
  };
}
