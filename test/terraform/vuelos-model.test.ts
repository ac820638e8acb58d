/** var.vuelos_model: the function's VUELOS_MODEL, limited to the models that read `vuelos`. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../functions/config.js';
import { SEED_COLUMN_MODELS } from '../../functions/model-choice.js';
import {
  block,
  defaults,
  evaluate,
  onlyResource,
  readConfiguration,
  type Body,
  type Configuration,
} from '../../scripts/lib/hcl.js';

let configuration: Configuration;
let variable: Body;
beforeAll(async () => {
  configuration = await readConfiguration();
  variable = configuration.variables.get('vuelos_model')!;
});

describe('var.vuelos_model', () => {
  it('reaches the function as VUELOS_MODEL, which the function reads', async () => {
    const [, fn] = onlyResource(configuration, 'google_cloudfunctions2_function');
    const environment = block(fn, 'service_config').environment_variables as Record<string, string>;
    for (const model of SEED_COLUMN_MODELS) {
      const value = await evaluate(environment.VUELOS_MODEL!, {
        ...defaults(configuration),
        vuelos_model: model,
      });
      expect(loadConfig({ VUELOS_MODEL: value }).vuelosModel).toBe(model);
    }
  });

  it('defaults to the function’s own default', () => {
    expect(variable.default).toBe(loadConfig({}).vuelosModel);
  });

  it('accepts exactly the values the function accepts', () => {
    const [validation] = variable.validation as Body[];
    expect(String(validation?.condition)).toContain(
      `contains(${JSON.stringify(SEED_COLUMN_MODELS).replace(',', ', ')}, var.vuelos_model)`,
    );
    expect(() => loadConfig({ VUELOS_MODEL: 'schedule' })).toThrow(ConfigError);
  });
});
