/**
 * The optional prediction log: off by default, the function's LOG_PREDICTIONS wired from it, a
 * sink selecting exactly the entries functions/prediction-log.ts writes into day-partitioned
 * tables of a dataset with a retention, and the sink's identity granted that dataset only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { predictionLogEntries } from '../../functions/prediction-log.js';
import {
  block,
  defaults,
  evaluate,
  literalStrings,
  onlyResource,
  optionalAttributes,
  readConfiguration,
  referencesOf,
  type Body,
  type Configuration,
} from '../../scripts/lib/hcl.js';

let configuration: Configuration;
let sink: Body;
let sinkAddress: string;
let fnAddress: string;
let datasetAddress: string;
let dataset: Body;
beforeAll(async () => {
  configuration = await readConfiguration();
  const [sinkName, sinkBody] = onlyResource(configuration, 'google_logging_project_sink');
  sink = sinkBody;
  sinkAddress = `google_logging_project_sink.${sinkName}`;
  fnAddress = `google_cloudfunctions2_function.${onlyResource(configuration, 'google_cloudfunctions2_function')[0]}`;
  const [destination] = await refs(sink.destination);
  datasetAddress = destination!.split('.').slice(0, 2).join('.');
  dataset = configuration.resources.get(datasetAddress)!;
});

const refs = (value: unknown) => referencesOf(configuration, value);

/** The optional() default of one attribute of var.prediction_log, as HCL writes it. */
function predictionLogDefault(name: string): string | undefined {
  return optionalAttributes(configuration, 'prediction_log').find((a) => a.name === name)?.default;
}

/** Every IAM member or binding granted to the sink's writer identity. */
async function sinkGrants(): Promise<Array<[string, Body]>> {
  const grants: Array<[string, Body]> = [];
  for (const [address, body] of configuration.resources) {
    if (!/_iam_(member|binding)\./.test(address)) continue;
    const members = await refs(body.member ?? body.members);
    if (members.some((m) => m.startsWith(`${sinkAddress}.`))) grants.push([address, body]);
  }
  return grants;
}

/** The function's LOG_PREDICTIONS for these values of var.prediction_log. */
async function logPredictions(predictionLog: Record<string, unknown>): Promise<string> {
  const [, fn] = onlyResource(configuration, 'google_cloudfunctions2_function');
  const variables = block(fn, 'service_config').environment_variables as Record<string, string>;
  const scope = { ...defaults(configuration), prediction_log: predictionLog };
  return evaluate(variables.LOG_PREDICTIONS!, scope);
}

describe('off by default', () => {
  it('declares prediction_log.enabled false by default', () => {
    expect(configuration.variables.get('prediction_log')).toMatchObject({ default: {} });
    expect(predictionLogDefault('enabled')).toBe('false');
  });

  it('creates the sink, its dataset and its grant only when prediction_log.enabled is set', async () => {
    const grants = await sinkGrants();
    expect(grants).toHaveLength(1);
    for (const [address, body] of [[sinkAddress, sink], [datasetAddress, dataset], ...grants]) {
      expect(await refs((body as Body).count), address as string).toContain(
        'var.prediction_log.enabled',
      );
    }
  });

  it('turns the BigQuery API on when prediction_log.enabled is set', async () => {
    const services = String(configuration.locals.get('services'));
    expect(await literalStrings(services)).toContain('bigquery.googleapis.com');
    expect(await refs(services)).toContain('var.prediction_log.enabled');
    // The sink is a Logging resource: that API is on whatever the flags say.
    expect(await literalStrings(services)).toContain('logging.googleapis.com');
  });
});

describe("the function's LOG_PREDICTIONS", () => {
  it('is the sampling rate when enabled, which the function reads as such', async () => {
    const value = await logPredictions({ enabled: true, sampling_rate: 0.25 });
    expect(loadConfig({ LOG_PREDICTIONS: value }).logPredictions).toBe(0.25);
  });

  it('is 0 when disabled, whatever the sampling rate', async () => {
    const value = await logPredictions({ enabled: false, sampling_rate: 0.25 });
    expect(loadConfig({ LOG_PREDICTIONS: value }).logPredictions).toBe(0);
  });

  it('samples every request by default once enabled', () => {
    expect(predictionLogDefault('sampling_rate')).toBe('1');
    const validation = (configuration.variables.get('prediction_log')!.validation as Body[]).find(
      (v) => String(v.condition).includes('sampling_rate'),
    );
    expect(String(validation?.condition)).toMatch(/sampling_rate > 0 .*sampling_rate <= 1/);
  });
});

describe('the sink', () => {
  it('selects the stdout lines of this function that hold a prediction log entry', async () => {
    // The filter's terms as HCL writes them, inner quotes escaped.
    const terms = await literalStrings(String(sink.filter));
    expect(terms).toContain(' AND ');
    expect(terms).toEqual(
      expect.arrayContaining([
        'resource.type = \\"cloud_run_revision\\"',
        'log_id(\\"run.googleapis.com/stdout\\")',
        'jsonPayload.predictionLog.schema:*',
      ]),
    );
    expect(await refs(sink.filter)).toEqual([`${fnAddress}.name`]);
    expect(String(sink.filter)).toContain(
      `resource.labels.service_name = \\"\${${fnAddress}.name}\\"`,
    );
  });

  it('names a field every entry the function writes holds', () => {
    const [entry] = predictionLogEntries(
      {
        shape: 'latam',
        card: { name: 'onehot-37', version: '1', threshold: { value: 0.5 } },
        inputs: [{ OPERA: 'Grupo LATAM', TIPOVUELO: 'N', MES: 7 }],
        probabilities: Float32Array.of(0.25),
      },
      {},
      '00000000-0000-4000-8000-000000000000',
      new Date(),
    );
    const payload = entry!.fields as { predictionLog: Record<string, unknown> };
    // jsonPayload is the line's JSON object without the fields Cloud Logging lifts out.
    expect(Object.hasOwn(payload.predictionLog, 'schema')).toBe(true);
  });

  it('writes into day-partitioned tables of its dataset, with an identity of its own', async () => {
    expect(await refs(sink.destination)).toEqual([`${datasetAddress}.0.id`]);
    expect(String(sink.destination)).toMatch(/^bigquery\.googleapis\.com\/\$\{/);
    expect(sink.unique_writer_identity).toBe(true);
    expect(block(sink, 'bigquery_options').use_partitioned_tables).toBe(true);
  });
});

describe('the dataset', () => {
  it('lives in the region of the function', async () => {
    expect(await refs(dataset.location)).toEqual(['var.region']);
    expect(await refs(dataset.dataset_id)).toEqual(['var.prediction_log.dataset_id']);
    expect(predictionLogDefault('dataset_id')).toBe('"scl_delay_predictions"');
  });

  it('deletes each day partition retention_days after that day, and never the whole table', () => {
    expect(dataset.default_partition_expiration_ms).toBe(
      '${var.prediction_log.retention_days * 86400000}',
    );
    expect(predictionLogDefault('retention_days')).toBe('90');
    expect(dataset).not.toHaveProperty('default_table_expiration_ms');
  });
});

describe("the sink's writer identity", () => {
  it('may edit the data of that dataset, and nothing else', async () => {
    const grants = await sinkGrants();
    expect(grants).toHaveLength(1);
    const [address, grant] = grants[0]!;
    expect(address).toMatch(/^google_bigquery_dataset_iam_member\./);
    expect(grant.role).toBe('roles/bigquery.dataEditor');
    expect(await refs(grant.dataset_id)).toEqual([`${datasetAddress}.0.dataset_id`]);
    expect(await refs(grant.member)).toEqual([`${sinkAddress}.0.writer_identity`]);
  });
});
