/**
 * The compiled validators the function uses. Run from source, this module compiles them when an
 * instance loads it (a schema that does not compile stops the instance at start-up). The bundle
 * replaces it with the same validators generated at build time (scripts/build/validators.ts), so
 * a deployed instance compiles no schema during its cold start.
 */
import { compileValidators, createAjv } from './contract-schemas.js';

export const {
  seedEnvelope,
  seedFlight,
  flightsEnvelope,
  flight,
  latamEnvelope,
  latamFlight,
  bigqueryEnvelope,
  bigqueryCall,
  airportEnvelope,
  departure,
  modelCard,
} = compileValidators(createAjv());
