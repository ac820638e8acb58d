/**
 * One line of a schedule CSV split into its fields, as RFC 4180 writes them, a record being one
 * line: a field is either plain (no quote) or quoted from its first to its last character, with
 * commas and doubled quotes inside. A quoted field cannot hold a line break, so that a stray quote
 * costs its own line and never the lines after it.
 */

/** Why a line is not a CSV record: shown to the user beside its line number. */
export interface MalformedLine {
  malformed: string;
}

/** The fields of `line` (without its line break), or why it is malformed. */
export function fieldsOf(line: string): string[] | MalformedLine {
  // Most lines hold no quote: splitting at every comma is then the whole of parsing.
  return line.includes('"') ? quotedFields(line) : line.split(',');
}

function quotedFields(line: string): string[] | MalformedLine {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    const field = fields.length + 1;
    if (line[at] === '"') {
      let value = '';
      let from = at + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote === -1) {
          return { malformed: `field ${field} opens a quote that the line does not close` };
        }
        value += line.slice(from, quote);
        if (line[quote + 1] !== '"') {
          at = quote + 1;
          break;
        }
        value += '"';
        from = quote + 2;
      }
      fields.push(value);
      if (at === line.length) return fields;
      if (line[at] !== ',') {
        return {
          malformed: `field ${field} closes its quote before ${JSON.stringify(line[at])}, not before a comma`,
        };
      }
      at += 1;
    } else {
      const comma = line.indexOf(',', at);
      const value = line.slice(at, comma === -1 ? undefined : comma);
      if (value.includes('"')) {
        return {
          malformed: `field ${field} holds a quote but does not start with one (write it "…""…")`,
        };
      }
      fields.push(value);
      if (comma === -1) return fields;
      at = comma + 1;
    }
  }
}
