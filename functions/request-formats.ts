/**
 * The request formats of `POST /predict` and the model answering each, in a module of its own:
 * `npm run predict` reads it before anything heavy loads, so that its model thread can start
 * loading at once.
 */
export const MODEL_FOR_FORMAT = { vuelos: 'onehot-37', flights: 'schedule' } as const;

/** A request format, named by the one top-level array that holds its flights. */
export type RequestFormat = keyof typeof MODEL_FOR_FORMAT;

export const REQUEST_FORMATS = Object.keys(MODEL_FOR_FORMAT) as RequestFormat[];
