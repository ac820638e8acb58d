/**
 * Structured log lines in Cloud Logging's JSON format: one JSON object per stdout line, which the
 * Cloud Run logging agent turns into a LogEntry (`severity`, `message`, trace, `httpRequest`).
 */

export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL';

export type LogFields = Record<string, unknown>;

/** One structured line to write: its severity, its message, and fields beside them. */
export interface LogEntry {
  severity: Severity;
  message: string;
  fields?: LogFields;
}

/** Writes one structured line. */
export type Log = (severity: Severity, message: string, fields?: LogFields) => void;

/** A Log that also writes many lines at once. */
export interface BatchLog extends Log {
  /** Writes a line for each entry, in order, all in one write: one system call on stdout. */
  all(entries: readonly LogEntry[]): void;
}

/** Longest line written, newline included, in bytes: Cloud Logging keeps 256 KB per entry. */
export const MAX_LOG_LINE_BYTES = 64 * 1024;

/** Longest string written in full, in characters; a longer one is cut and marked. */
export const MAX_LOGGED_STRING_LENGTH = 4096;

/**
 * A logger writing to `write` (stdout by default, a buffer in tests) text of one or more whole
 * lines, each ending in a newline.
 */
export function createLog(
  write: (lines: string) => void = (lines) => process.stdout.write(lines),
): BatchLog {
  const line = ({ severity, message, fields }: LogEntry) =>
    boundedLine({ severity, message, ...fields });
  const log: Log = (severity, message, fields = {}) => {
    write(line({ severity, message, fields }));
  };
  const all = (entries: readonly LogEntry[]) => {
    if (entries.length > 0) write(entries.map(line).join(''));
  };
  return Object.assign(log, { all });
}

/**
 * The entry as one JSON line of at most MAX_LOG_LINE_BYTES, whatever a client put in its fields
 * (a 30 MB `caller`): long strings are cut with a marker; should the line still be too long (many
 * fields), it keeps only the severity and the message, and says so.
 */
function boundedLine(entry: { severity: Severity; message: string }): string {
  // A replacer makes JSON.stringify several times slower: it runs only when a string needs
  // cutting, which no line shorter than the longest string kept whole can hold.
  let line = `${JSON.stringify(entry)}\n`;
  if (line.length > MAX_LOGGED_STRING_LENGTH && holdsLongString(entry)) {
    line = `${JSON.stringify(entry, cutLongStrings)}\n`;
  }
  if (Buffer.byteLength(line) <= MAX_LOG_LINE_BYTES) return line;
  const { severity, message } = entry;
  const kept = {
    severity,
    message: cut(message),
    truncated: `fields left out: ${line.length} characters`,
  };
  return `${JSON.stringify(kept)}\n`;
}

/** Whether JSON.stringify would meet a string to cut in `value`, as any toJSON() may make one. */
function holdsLongString(value: unknown): boolean {
  if (typeof value === 'string') return value.length > MAX_LOGGED_STRING_LENGTH;
  if (typeof value !== 'object' || value === null) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return true;
  return Object.values(value).some(holdsLongString);
}

function cutLongStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? cut(value) : value;
}

function cut(text: string): string {
  if (text.length <= MAX_LOGGED_STRING_LENGTH) return text;
  return `${text.slice(0, MAX_LOGGED_STRING_LENGTH)}...[truncated: ${text.length} characters]`;
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
