import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real servers, real ONNX sessions and real child processes: give slow CI machines room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
