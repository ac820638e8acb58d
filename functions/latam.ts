/**
 * The LATAM challenge's request shape: `flights` that carry `OPERA`, `TIPOVUELO` and `MES` and no
 * `Fecha-I`, answered `{"predict": [labels]}`. Those three fields are exactly the seed's 37 one-hot
 * columns (airline, flight type, month), so each such flight becomes the seed row with its three
 * columns set, named as the model card names them, and is scored like one.
 */
import { MAX_LISTED_VIOLATIONS, ProblemError } from './errors.js';
import { seedKey } from './features.js';

/** A flight as the LATAM challenge's API takes it (schemas/latam-flight.schema.json). */
export interface LatamFlight {
  OPERA: string;
  TIPOVUELO: string;
  MES: number;
}

/** The LATAM API's answer: one 0/1 label per flight, in request order. */
export interface LatamResponse {
  predict: Array<0 | 1>;
}

/**
 * Whether a `flights` array is in the LATAM shape: some flight carries `MES` without `Fecha-I`,
 * and no flight carries `Fecha-I`. Anything that is not a flight object is left to validation.
 * @throws ProblemError 'invalid-request' naming the flights without `Fecha-I` when the request
 *   mixes LATAM flights with dated ones.
 */
export function isLatamShape(flights: unknown): boolean {
  if (!Array.isArray(flights)) return false;
  const undated: number[] = [];
  let latam = 0;
  let dated = 0;
  (flights as unknown[]).forEach((flight, index) => {
    if (typeof flight !== 'object' || flight === null || Array.isArray(flight)) return;
    if (Object.hasOwn(flight, 'Fecha-I')) {
      dated++;
      return;
    }
    undated.push(index);
    if (Object.hasOwn(flight, 'MES')) latam++;
  });
  if (latam === 0) return false;
  if (dated === 0) return true;
  throw new ProblemError(
    'invalid-request',
    `"flights" mixes two shapes: ${undated.length} flight${undated.length === 1 ? ' lacks' : 's lack'} ` +
      `"Fecha-I" (the LATAM shape: OPERA, TIPOVUELO, MES) and the others carry it; send each ` +
      'shape in a request of its own',
    {
      violations: undated.slice(0, MAX_LISTED_VIOLATIONS).map((index) => ({
        pointer: `/flights/${index}/Fecha-I`,
        message: 'is required, as other flights of this request carry it',
      })),
      omitted: Math.max(0, undated.length - MAX_LISTED_VIOLATIONS),
    },
  );
}

/** Validated LATAM flights as seed rows: the one-hot keys of their airline, type and month. */
export function latamSeedRows(flights: readonly LatamFlight[]): Array<Record<string, boolean>> {
  return flights.map(({ OPERA, TIPOVUELO, MES }) => ({
    [seedKey(`OPERA_${OPERA}`)]: true,
    [seedKey(`TIPOVUELO_${TIPOVUELO}`)]: true,
    [seedKey(`MES_${MES}`)]: true,
  }));
}
