/**
 * The model answering each request format, in a module of its own: `npm run predict` reads it
 * before anything heavy loads, so that its model thread can start loading at once.
 */
export const MODEL_FOR_FORMAT = { vuelos: 'onehot-37', flights: 'schedule' } as const;
