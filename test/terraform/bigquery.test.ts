/**
 * The optional BigQuery remote function: off by default, wired to the function's POST /bigquery
 * with the signature the endpoint reads, and granted the invoker role on that function only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import bigqueryRequest from '../../schemas/bigquery-request.schema.json' with { type: 'json' };
import { BIGQUERY_ARGUMENTS } from '../../functions/bigquery.js';
import { BIGQUERY_PATH } from '../../functions/bigquery.js';
import {
  block,
  configurationOf,
  literalStrings,
  nestedBlocks,
  onlyResource,
  optionalAttributes,
  readConfiguration,
  referencesOf,
  resourcesOfType,
  type Body,
  type Configuration,
} from '../../scripts/lib/hcl.js';

let configuration: Configuration;
let routine: Body;
let connectionName: string;
let fnAddress: string;
/** The address of the prediction log's dataset (prediction-log.test.ts), not the remote function's. */
let predictionLogDataset: string;
let datasetName: string;
let dataset: Body;
beforeAll(async () => {
  configuration = await readConfiguration();
  [, routine] = onlyResource(configuration, 'google_bigquery_routine');
  [connectionName] = onlyResource(configuration, 'google_bigquery_connection');
  fnAddress = `google_cloudfunctions2_function.${onlyResource(configuration, 'google_cloudfunctions2_function')[0]}`;
  const [, sink] = onlyResource(configuration, 'google_logging_project_sink');
  const [destination] = await referencesOf(configuration, sink.destination);
  predictionLogDataset = destination!.split('.').slice(0, 2).join('.');
  const datasets = [...resourcesOfType(configuration, 'google_bigquery_dataset')].filter(
    ([name]) => `google_bigquery_dataset.${name}` !== predictionLogDataset,
  );
  if (datasets.length !== 1) throw new Error('expected one dataset besides the prediction log');
  [[datasetName, dataset]] = datasets as [[string, Body]];
});

const refs = (value: unknown) => referencesOf(configuration, value);
const BIGQUERY_TYPES = [
  'google_bigquery_connection',
  'google_bigquery_dataset',
  'google_bigquery_routine',
];

/** The optional() default of one attribute of var.bigquery, as HCL writes it. */
function bigqueryDefault(name: string): string | undefined {
  return optionalAttributes(configuration, 'bigquery').find((a) => a.name === name)?.default;
}

/** Resources of `config` that grant a role to the service account of connection `name`. */
async function connectionGrants(
  config = configuration,
  name = connectionName,
): Promise<Array<[string, Body]>> {
  const grants: Array<[string, Body]> = [];
  for (const [address, body] of config.resources) {
    if (!/_iam_(member|binding)\./.test(address)) continue;
    const members = await referencesOf(config, body.member ?? body.members);
    if (members.some((m) => m.startsWith(`google_bigquery_connection.${name}.`))) {
      grants.push([address, body]);
    }
  }
  return grants;
}

describe('off by default', () => {
  it('declares bigquery.enabled false by default', () => {
    expect(configuration.variables.get('bigquery')).toMatchObject({ default: {} });
    expect(bigqueryDefault('enabled')).toBe('false');
  });

  it('creates every BigQuery resource and grant only when bigquery.enabled is set', async () => {
    const optional = [...configuration.resources].filter(
      ([address]) =>
        BIGQUERY_TYPES.some((type) => address.startsWith(`${type}.`)) &&
        address !== predictionLogDataset,
    );
    optional.push(...(await connectionGrants()));
    expect(optional.length).toBe(BIGQUERY_TYPES.length + 1);
    for (const [address, body] of optional) {
      expect(await refs(body.count), address).toContain('var.bigquery.enabled');
    }
  });

  it('turns the BigQuery APIs on only when bigquery.enabled is set', async () => {
    const services = String(configuration.locals.get('services'));
    expect(await literalStrings(services)).toEqual(
      expect.arrayContaining(['bigquery.googleapis.com', 'bigqueryconnection.googleapis.com']),
    );
    expect(await refs(services)).toContain('var.bigquery.enabled');
  });
});

describe('the remote function', () => {
  it("calls the function's URL + the path functions/ serves BigQuery on", async () => {
    const options = block(routine, 'remote_function_options');
    expect(await refs(options.endpoint)).toEqual([`${fnAddress}.url`]);
    expect(String(options.endpoint)).toBe(`\${${fnAddress}.url}${BIGQUERY_PATH}`);
  });

  it('goes through the CLOUD_RESOURCE connection, in the region of the function', async () => {
    const options = block(routine, 'remote_function_options');
    expect(await refs(options.connection)).toEqual([
      `google_bigquery_connection.${connectionName}.0.name`,
    ]);
    const [, connection] = onlyResource(configuration, 'google_bigquery_connection');
    expect(nestedBlocks(connection, 'cloud_resource')).toHaveLength(1);
    expect(await refs(connection.location)).toEqual(['var.region']);
    expect(await refs(dataset.location)).toEqual(['var.region']);
  });

  it('takes the arguments POST /bigquery reads, in its order, and returns JSON', async () => {
    const args = nestedBlocks(routine, 'arguments');
    expect(args.map((a) => a.name)).toEqual([...BIGQUERY_ARGUMENTS]);
    const types = args.map((a) => String(a.data_type));
    expect(types.filter((t) => t.includes('"STRING"'))).toHaveLength(3);
    expect(await refs(types[2])).toEqual(['var.bigquery.fecha_i_type']);
    expect(routine).toMatchObject({ routine_type: 'SCALAR_FUNCTION', definition_body: '' });
    expect(String(routine.return_type)).toContain('"JSON"');
  });

  it('offers as fecha_i types the two encodings the endpoint reads', () => {
    const validation = (configuration.variables.get('bigquery')!.validation as Body[]).find((v) =>
      String(v.condition).includes('fecha_i_type'),
    );
    expect(String(validation?.condition)).toContain('["DATETIME", "TIMESTAMP"]');
    expect(bigqueryDefault('fecha_i_type')).toBe('"DATETIME"');
  });

  it('sends on_invalid as its user-defined context, with the values the schema accepts', () => {
    const options = block(routine, 'remote_function_options');
    expect(options.user_defined_context).toEqual({ on_invalid: '${var.bigquery.on_invalid}' });
    const accepted = bigqueryRequest.properties.userDefinedContext.properties.on_invalid.enum;
    const validation = (configuration.variables.get('bigquery')!.validation as Body[]).find((v) =>
      String(v.condition).includes('on_invalid'),
    );
    expect(String(validation?.condition)).toContain(JSON.stringify(accepted).replace(',', ', '));
    expect(accepted).toContain(JSON.parse(bigqueryDefault('on_invalid')!));
  });

  it('batches at most max_batching_rows rows, 500 by default and never above max_flights', async () => {
    const options = block(routine, 'remote_function_options');
    expect(await refs(options.max_batching_rows)).toEqual(['var.bigquery.max_batching_rows']);
    expect(bigqueryDefault('max_batching_rows')).toBe('500');
    const validations = configuration.variables.get('bigquery')!.validation as Body[];
    const bound = validations.find((v) => String(v.condition).includes('max_batching_rows'));
    expect(await refs(bound?.condition)).toContain('var.max_flights');
  });

  it('lives in the created dataset, or in the existing one the variable names', async () => {
    expect(await refs(routine.dataset_id)).toEqual(
      expect.arrayContaining([
        'var.bigquery.create_dataset',
        `google_bigquery_dataset.${datasetName}.0.dataset_id`,
        'var.bigquery.dataset_id',
      ]),
    );
    expect(await refs(dataset.count)).toContain('var.bigquery.create_dataset');
  });

  it('is output by its fully qualified name', async () => {
    const output = configuration.outputs.get('bigquery_routine');
    const [name] = onlyResource(configuration, 'google_bigquery_routine');
    expect(await refs(output?.value)).toContain(`google_bigquery_routine.${name}`);
    expect(String(output?.value)).toMatch(
      /\.project\}\.\$\{.*\.dataset_id\}\.\$\{.*\.routine_id\}/,
    );
  });
});

describe("the connection's service account", () => {
  it('may invoke the Cloud Run service of this function, and nothing else', async () => {
    const grants = await connectionGrants();
    expect(grants).toHaveLength(1);
    const [address, grant] = grants[0]!;
    expect(address).toMatch(/^google_cloud_run_service_iam_member\./);
    expect(grant.role).toBe('roles/run.invoker');
    expect(await refs(grant.service)).toEqual([`${fnAddress}.name`]);
    expect(await refs(grant.member)).toEqual([
      `google_bigquery_connection.${connectionName}.0.cloud_resource.0.service_account_id`,
    ]);
  });

  it('would be caught granted a project-wide role', async () => {
    const hcl = `
      resource "google_bigquery_connection" "c" {
        cloud_resource {}
      }
      resource "google_project_iam_member" "too_broad" {
        role   = "roles/run.invoker"
        member = "serviceAccount:\${google_bigquery_connection.c[0].cloud_resource[0].service_account_id}"
      }`;
    const grants = await connectionGrants(await configurationOf([['case.tf', hcl]]), 'c');
    expect(grants.map(([address]) => address)).toEqual(['google_project_iam_member.too_broad']);
  });
});
