/** A flight of the prediction log, as the monitor reads it whatever file it came from. */
export interface LoggedFlight {
  requestId: string;
  chunk: number;
  /** Position among its entry's flights, from 0. */
  position: number;
  shape: 'vuelos' | 'flights' | 'latam' | 'bigquery';
  model: string;
  /** When the entry was built (ISO 8601 UTC). */
  loggedAt: string;
  /**
   * The fields the model read, by their BigQuery names (`opera`, `fecha_i`, `mes`,
   * `opera_grupo_latam`), values as logged (a number may arrive as a string).
   */
  input: Record<string, unknown>;
  probability: number;
}
