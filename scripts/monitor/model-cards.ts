/** The cards of the models the log names, read from the models directory. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingCard } from '../train/card.js';

/** A served model's card with the training baseline the monitor compares with. */
export type MonitoredCard = TrainingCard;

/**
 * @throws Error when `models/<name>.json` cannot be read, or the card holds no
 *   trainingDistribution (the original model's card has none: there is nothing to compare with).
 */
export async function readCard(dir: string, name: string): Promise<MonitoredCard> {
  const path = join(dir, `${name}.json`);
  let card: Partial<MonitoredCard>;
  try {
    card = JSON.parse(await readFile(path, 'utf8')) as Partial<MonitoredCard>;
  } catch (error) {
    throw new Error(`unknown model "${name}": ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!card.trainingDistribution) {
    throw new Error(`model "${name}": ${path} has no trainingDistribution to compare with`);
  }
  return card as MonitoredCard;
}
