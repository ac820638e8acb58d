import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../functions/config.js';

describe('loadConfig', () => {
  it('defaults every setting', () => {
    expect(loadConfig({})).toEqual({
      modelsDir: resolve('models'),
      maxFlights: 10_000,
      maxExplainedFlights: 1_000,
      maxDepartures: 800,
      bodyBudgetBytes: 32 * 1024 * 1024,
      bodyDeadlineMs: 30_000,
      logRequests: false,
      logPredictions: 0,
      shutdownGraceMs: 9_000,
      project: undefined,
      revision: undefined,
      vuelosModel: 'onehot-37',
    });
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        MODELS_DIR: '/srv/models',
        MAX_FLIGHTS: '500',
        MAX_EXPLAINED_FLIGHTS: '50',
        MAX_DEPARTURES: '300',
        BODY_BUDGET_MIB: '96',
        BODY_DEADLINE_MS: '5000',
        LOG_REQUESTS: 'true',
        LOG_PREDICTIONS: '0.05',
        SHUTDOWN_GRACE_MS: '0',
        GOOGLE_CLOUD_PROJECT: 'ops-prod',
        K_REVISION: 'predict-00007-abc',
        VUELOS_MODEL: 'original',
      }),
    ).toEqual({
      modelsDir: '/srv/models',
      maxFlights: 500,
      maxExplainedFlights: 50,
      maxDepartures: 300,
      bodyBudgetBytes: 96 * 1024 * 1024,
      bodyDeadlineMs: 5_000,
      logRequests: true,
      logPredictions: 0.05,
      shutdownGraceMs: 0,
      project: 'ops-prod',
      revision: 'predict-00007-abc',
      vuelosModel: 'original',
    });
  });

  it.each([
    ['MAX_FLIGHTS', '0'],
    ['MAX_FLIGHTS', '10k'],
    ['MAX_FLIGHTS', '1.5'],
    ['MAX_FLIGHTS', '-3'],
    ['MAX_FLIGHTS', '2000000'],
    ['MAX_EXPLAINED_FLIGHTS', '0'],
    ['MAX_EXPLAINED_FLIGHTS', 'all'],
    ['MAX_DEPARTURES', '0'],
    ['MAX_DEPARTURES', 'many'],
    ['SHUTDOWN_GRACE_MS', 'soon'],
    ['BODY_BUDGET_MIB', '0'],
    ['BODY_BUDGET_MIB', '2048'],
    ['BODY_DEADLINE_MS', '0'],
    ['BODY_DEADLINE_MS', '300001'],
    ['LOG_REQUESTS', 'yes'],
    ['LOG_PREDICTIONS', '1.5'],
    ['LOG_PREDICTIONS', '-0.1'],
    ['LOG_PREDICTIONS', '50%'],
    ['LOG_PREDICTIONS', 'true'],
    ['LOG_PREDICTIONS', '1e-3'],
    ['VUELOS_MODEL', 'schedule'],
    ['VUELOS_MODEL', 'Original'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(`${name}="${value}" is invalid`);
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variable).toBe(name);
    }
  });

  it.each([
    ['0', 0],
    ['1', 1],
    ['0.5', 0.5],
    ['1.0', 1],
  ])('reads LOG_PREDICTIONS=%s as the rate %s', (text, rate) => {
    expect(loadConfig({ LOG_PREDICTIONS: text }).logPredictions).toBe(rate);
  });
});
