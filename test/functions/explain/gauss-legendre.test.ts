import { describe, expect, it } from 'vitest';
import { gaussLegendre } from '../../../functions/explain/gauss-legendre.js';

describe('gaussLegendre', () => {
  it.each([1, 2, 3, 4, 5, 8, 12])('integrates t^k over [0, 1] exactly for k < 2·%i', (points) => {
    const { nodes, weights } = gaussLegendre(points);
    for (let k = 0; k < 2 * points; k++) {
      const integral = nodes.reduce((sum, t, g) => sum + weights[g]! * t ** k, 0);
      expect(integral).toBeCloseTo(1 / (k + 1), 14);
    }
  });

  it('is not exact one degree beyond (so the point count matters)', () => {
    const { nodes, weights } = gaussLegendre(2);
    const integral = nodes.reduce((sum, t, g) => sum + weights[g]! * t ** 4, 0);
    expect(Math.abs(integral - 1 / 5)).toBeGreaterThan(1e-3);
  });

  it('places the nodes inside (0, 1), ascending', () => {
    const { nodes } = gaussLegendre(6);
    expect([...nodes].every((t, g) => t > 0 && t < 1 && (g === 0 || t > nodes[g - 1]!))).toBe(true);
  });

  it.each([0, -1, 1.5, NaN])('refuses %s points', (points) => {
    expect(() => gaussLegendre(points)).toThrow(RangeError);
  });
});
