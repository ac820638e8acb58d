/**
 * Failures in the shape BigQuery's remote-function protocol reads, `{"errorMessage": "…"}`
 * (https://cloud.google.com/bigquery/docs/remote-functions#output_format), for the one endpoint
 * BigQuery calls. BigQuery shows the message in the query's error; a JSON body of this shape also
 * tells it the failure came from the function rather than from Cloud Run.
 */
import type { ProblemError } from './errors.js';

/** Google asks for messages under 1 KB. */
export const MAX_ERROR_MESSAGE_LENGTH = 1000;

/** The failure body BigQuery reads. */
export function errorMessageBody(problem: ProblemError): { errorMessage: string } {
  return { errorMessage: fitted(problem.detail, [], MAX_ERROR_MESSAGE_LENGTH) };
}

/**
 * `head`, then as many of `items` as fit in `limit` characters, then how many of `total` did not
 * (`items` may be the first few of them): the message stays under BigQuery's limit however many
 * violations a batch holds.
 */
export function fitted(
  head: string,
  items: readonly string[],
  limit: number,
  total = items.length,
): string {
  let text = head;
  for (const [index, item] of items.entries()) {
    const next = `${text}${index === 0 ? ': ' : '; '}${item}`;
    const left = total - index - 1;
    // Room for the count of the items after this one, should the next not fit.
    if (next.length + (left > 0 ? moreText(left).length : 0) > limit) {
      return clip(`${text}${moreText(total - index)}`, limit);
    }
    text = next;
  }
  const left = total - items.length;
  return clip(left > 0 ? `${text}${moreText(left)}` : text, limit);
}

function moreText(count: number): string {
  return `; and ${count} more`;
}

function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 3)}...` : text;
}
