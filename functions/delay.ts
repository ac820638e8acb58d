/**
 * What "late" means, the label every model predicts: the seed's `atraso_15`, a departure more
 * than 15 minutes after its schedule. Training labels flights with it, and the airport's state
 * (airport-state.ts) counts late departures with it.
 */
import { minutesBetween, type LocalDateTime } from './santiago-time.js';

/** A flight leaves "late" when it departs more than this many minutes after schedule. */
export const DELAY_THRESHOLD_MINUTES = 15;

/** The seed's `dif_min`: operation minus schedule, in wall-clock minutes. */
export function delayMinutes(scheduled: LocalDateTime, operated: LocalDateTime): number {
  return minutesBetween(scheduled, operated);
}

/** The seed's `atraso_15` of a delay in minutes. */
export function isLate(delay: number): boolean {
  return delay > DELAY_THRESHOLD_MINUTES;
}
