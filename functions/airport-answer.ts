/**
 * The answer to flights sent with the airport's state: nowcast answers each flight due within its
 * card's horizons after asOf, reading the flight's state from the request's board; schedule
 * answers the others, which nowcast was not trained for. Each model scores its group of flights
 * as it scores any request, and the answers are merged back into request order, each prediction
 * naming its model.
 */
import type { Airport, AirportEcho } from './airport-request.js';
import { ProblemError } from './errors.js';
import type { Explanation } from './explain/flight-explainer.js';
import { scheduledTime, type FlightInState, type ScheduledFlight } from './features.js';
import { whenLoaded } from './lazy.js';
import type { ModelCard, ModelRegistry, ServedModel } from './model-registry.js';
import { mapOutcome, type Outcome } from './outcome.js';
import { ScoredAnswer, type ScoredBatch } from './prediction-log.js';
import { scored } from './probability.js';
import { MODEL_FOR_FORMAT } from './request-formats.js';
import { minutesBetween } from './santiago-time.js';

export interface AirportFlightsResponse {
  models: Array<{ name: string; version: string; threshold: number }>;
  airport: AirportEcho;
  predictions: Array<{
    model: string;
    probability: number;
    delayed: boolean;
    explanation?: Explanation;
  }>;
}

/** Validated flights with the request's board. */
export interface FlightsWithAirport {
  flights: ScheduledFlight[];
  airport: Airport;
  explain: boolean;
}

/** One model's share of the request: the flights it answers, by index, and what it reads. */
interface Group {
  model: ServedModel;
  indices: number[];
  inputs: ScheduledFlight[];
}

/** What a group's model answered. */
interface GroupAnswer {
  probabilities: Float32Array;
  explanations?: Explanation[];
}

/**
 * Answers `request` with `nowcastModel` (a model whose card has `airportState`) and, for the
 * flights beyond its horizons, schedule: both loaded lazily, schedule only when a flight needs it.
 */
export function answerWithAirport(
  registry: ModelRegistry,
  nowcastModel: string,
  request: FlightsWithAirport,
  outcome: Outcome<ScoredAnswer>,
): void {
  whenLoaded(registry.get(nowcastModel), outcome.reject, (nowcast) => {
    const { near, far } = splitByHorizon(nowcast.card, request);
    const score = (schedule?: ServedModel) => {
      const groups = [
        { model: nowcast, ...near },
        ...(schedule ? [{ model: schedule, ...far }] : []),
      ];
      scoreGroups(
        groups.filter((group) => group.indices.length > 0),
        request,
        outcome,
      );
    };
    if (far.indices.length === 0) return score();
    whenLoaded(registry.get(MODEL_FOR_FORMAT.flights), outcome.reject, score);
  });
}

/**
 * The flights due within the card's horizons after asOf (min and max included), each with its
 * state, and the others as sent.
 * @throws ProblemError 'model-unavailable' when the card names no horizons: not a nowcast model.
 */
function splitByHorizon(
  card: ModelCard,
  { flights, airport }: FlightsWithAirport,
): Record<'near' | 'far', Omit<Group, 'model'>> {
  const horizons = card.airportState?.horizonMinutes;
  if (card.requestFormat !== 'flights' || !horizons) {
    throw new ProblemError(
      'model-unavailable',
      `model "${card.name}" does not read the airport's state`,
    );
  }
  const near: Omit<Group, 'model'> = { indices: [], inputs: [] };
  const far: Omit<Group, 'model'> = { indices: [], inputs: [] };
  flights.forEach((flight, index) => {
    const scheduled = scheduledTime(flight);
    const horizon = minutesBetween(airport.asOf, scheduled);
    if (horizon < horizons.min || horizon > horizons.max) {
      far.indices.push(index);
      far.inputs.push(flight);
      return;
    }
    const state = airport.board.stateAt(airport.asOf, flight.OPERA, scheduled);
    near.indices.push(index);
    const input: FlightInState = { ...flight, state };
    near.inputs.push(input);
  });
  return { near, far };
}

/**
 * Scores every group with its model, then answers with their predictions merged. The first
 * failure rejects the answer; nothing is answered twice.
 */
function scoreGroups(
  groups: readonly Group[],
  request: FlightsWithAirport,
  outcome: Outcome<ScoredAnswer>,
): void {
  const answers: GroupAnswer[] = [];
  let pending = groups.length;
  let failed = false;
  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    outcome.reject(error);
  };
  const merged = mapOutcome(outcome, (all: GroupAnswer[]) => mergedAnswer(groups, all, request));
  groups.forEach(({ model, inputs }, g) => {
    const answered: Outcome<GroupAnswer> = {
      resolve: (answer) => {
        answers[g] = answer;
        if (--pending === 0 && !failed) merged.resolve(answers);
      },
      reject: fail,
    };
    try {
      if (request.explain) model.explain(inputs, answered);
      else
        model.predict(
          inputs,
          mapOutcome(answered, (probabilities) => ({ probabilities })),
        );
    } catch (error) {
      fail(error);
    }
  });
}

/** The groups' answers in request order, each naming its model, and what each model scored. */
function mergedAnswer(
  groups: readonly Group[],
  answers: readonly GroupAnswer[],
  { flights, airport }: FlightsWithAirport,
): ScoredAnswer {
  const predictions = new Array<AirportFlightsResponse['predictions'][number]>(flights.length);
  groups.forEach(({ model, indices }, g) => {
    const { probabilities, explanations } = answers[g]!;
    const { name, threshold } = model.card;
    indices.forEach((index, i) => {
      const prediction = { model: name, ...scored(probabilities[i]!, threshold.value) };
      predictions[index] = explanations
        ? { ...prediction, explanation: explanations[i]! }
        : prediction;
    });
  });
  const body: AirportFlightsResponse = {
    models: groups.map(({ model: { card } }) => ({
      name: card.name,
      version: card.version,
      threshold: card.threshold.value,
    })),
    airport: airport.echo,
    predictions,
  };
  const batches = groups.map(({ model, indices }, g): ScoredBatch => ({
    shape: 'flights',
    card: model.card,
    inputs: indices.map((index) => flights[index]!),
    probabilities: answers[g]!.probabilities,
  }));
  return new ScoredAnswer(body, batches);
}
