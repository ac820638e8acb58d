/**
 * reports/model-report.md and its SVG charts: how the models compare with the seed's on the
 * untouched test rows, how the threshold was chosen, what data was used or rejected, the training
 * distribution the cards carry, and what the feature study and hyper-parameter search measured. The figures are taken from the run
 * (report/data.ts), drawn and tabled (report/chart-files.ts, report/tables.ts), and written out
 * as Markdown sections (report/sections.ts, report/tuning-sections.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingConfig } from './config.js';
import { formatText } from './formatting.js';
import type { TrainingRun } from './pipeline.js';
import { chartFiles } from './report/chart-files.js';
import { renderSvg } from './report/charts.js';
import {
  calibrationSection,
  chartsSection,
  crossValidationSection,
  dataSection,
  introduction,
  modelsSection,
  reproduceSection,
  resultsSection,
  rowSplitSection,
  thresholdSection,
  trainingDistributionSection,
} from './report/sections.js';
import { airportStateSection, stateStudySection } from './report/airport-state-sections.js';
import { featureStudySection, gridSection } from './report/tuning-sections.js';

/**
 * Renders the charts and writes the report into `dir`.
 * @returns the paths written.
 */
export async function writeReport(
  run: TrainingRun,
  config: TrainingConfig,
  dir: string,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [file, spec] of Object.entries(chartFiles(run))) {
    const path = join(dir, file);
    await writeFile(path, await renderSvg(spec));
    written.push(path);
  }
  const path = join(dir, 'model-report.md');
  await writeFile(path, await formatText(reportMarkdown(run, config), path, true));
  return [path, ...written];
}

/** The report's Markdown, section by section, before Prettier reflows it. */
function reportMarkdown(run: TrainingRun, config: TrainingConfig): string {
  const sections = [
    introduction(run, config),
    resultsSection(run, config),
    rowSplitSection(run, config),
    crossValidationSection(run, config),
    calibrationSection(run),
    thresholdSection(run),
    dataSection(run),
    trainingDistributionSection(run),
    chartsSection(run),
    airportStateSection(run),
    featureStudySection(config),
    gridSection(config),
    stateStudySection(config),
    modelsSection(run, config),
    reproduceSection(run),
  ];
  return `${sections.join('\n\n')}\n`;
}
