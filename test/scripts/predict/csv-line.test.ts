import { describe, expect, it } from 'vitest';
import { fieldsOf } from '../../../scripts/predict/csv-line.js';

describe('fieldsOf', () => {
  it.each([
    { line: 'a,b,c', fields: ['a', 'b', 'c'] },
    { line: 'a,,c,', fields: ['a', '', 'c', ''] },
    { line: '', fields: [''] },
    { line: 'Grupo LATAM,"Lima, Peru"', fields: ['Grupo LATAM', 'Lima, Peru'] },
    { line: '"say ""hi""",x', fields: ['say "hi"', 'x'] },
    { line: '"",""""', fields: ['', '"'] },
    { line: '"=1+2",\t@x', fields: ['=1+2', '\t@x'] },
  ])('splits $line', ({ line, fields }) => {
    expect(fieldsOf(line)).toEqual(fields);
  });

  it.each([
    { line: 'a,"Lima, Peru', malformed: /^field 2 opens a quote that the line does not close$/ },
    { line: '"a""', malformed: /^field 1 opens a quote/ },
    { line: 'a,"Lima"x,b', malformed: /^field 2 closes its quote before "x", not before a comma$/ },
    { line: 'a,b,Concepci"on', malformed: /^field 3 holds a quote but does not start with one/ },
  ])('finds $line malformed, naming the field', ({ line, malformed }) => {
    const result = fieldsOf(line);
    expect(result).toEqual({ malformed: expect.stringMatching(malformed) as unknown });
  });
});
