/**
 * Which of the departure board's windows a model reads (functions/airport-state.ts): the airport's
 * and the flight's airline's, each window bringing its three columns (departures, late share, mean
 * delay), and `horizonte` whenever any window is read. The state feature study compares choices of
 * windows; the chosen one is recorded in the config as the `nowcast` model's `airportState`.
 */
import { WINDOWS, type WindowName } from '../../functions/airport-state.js';
import { FEATURE_COLUMNS } from '../../functions/features.js';

export interface StateWindows {
  airport: WindowName[];
  airline: WindowName[];
}

/** No window: the schedule's columns alone, the state study's reference. */
export const NO_STATE: StateWindows = { airport: [], airline: [] };

/** A state column's window and whether it is the airline's (`tasa_atraso_opera_1h`). */
const STATE_COLUMN = new RegExp(`_(opera_)?(${WINDOWS.join('|')})$`);

/**
 * The state columns of `windows`, in functions/features.ts's order: `horizonte` first, then each
 * measure's windows.
 */
export function stateColumns({ airport, airline }: StateWindows): string[] {
  if (airport.length + airline.length === 0) return [];
  return FEATURE_COLUMNS.state.filter((column) => {
    const match = STATE_COLUMN.exec(column);
    if (!match) return column === 'horizonte';
    const window = match[2] as WindowName;
    return match[1] ? airline.includes(window) : airport.includes(window);
  });
}

/** `airport 1h/3h, airline 1h`, or `no state`. */
export function windowsLabel({ airport, airline }: StateWindows): string {
  const part = (name: string, windows: readonly string[]) =>
    windows.length > 0 ? [`${name} ${windows.join('/')}`] : [];
  const parts = [...part('airport', airport), ...part('airline', airline)];
  return parts.length > 0 ? parts.join(', ') : 'no state';
}

/**
 * The windows cumulatively, shortest first (1h; 1h and 3h; …): the steps the study takes for the
 * airport's windows, then for the airline's.
 */
export function growingWindows(): WindowName[][] {
  return WINDOWS.map((_, i) => WINDOWS.slice(0, i + 1));
}

/**
 * @throws Error naming the first entry that is not a window.
 */
export function checkWindows(windows: StateWindows, where: string): void {
  for (const window of [...windows.airport, ...windows.airline]) {
    if (!(WINDOWS as readonly string[]).includes(window)) {
      throw new Error(`${where}: "${window}" is not a window (${WINDOWS.join(', ')})`);
    }
  }
}
