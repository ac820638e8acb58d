import { describe, expect, it } from 'vitest';
import { rateChart, renderSvg, rocChart, thin } from '../../../../scripts/train/report/charts.js';

describe('thin', () => {
  it('keeps short curves whole and long ones to max points, ends included', () => {
    expect(thin([1, 2, 3], 5)).toEqual([1, 2, 3]);
    const thinned = thin(
      Array.from({ length: 1000 }, (_, i) => i),
      10,
    );
    expect(thinned).toHaveLength(10);
    expect([thinned[0], thinned[9]]).toEqual([0, 999]);
  });
});

describe('renderSvg', () => {
  it('renders a Vega-Lite chart to SVG without a browser, legend labels whole', async () => {
    const svg = await renderSvg(
      rocChart(
        [
          {
            label: 'schedule: AUC 0.723',
            points: [
              { fpr: 0, tpr: 0 },
              { fpr: 0.2, tpr: 0.5 },
              { fpr: 1, tpr: 1 },
            ],
          },
          {
            label: 'seed: AUC 0.668',
            points: [
              { fpr: 0, tpr: 0 },
              { fpr: 1, tpr: 1 },
            ],
          },
        ],
        '3 rows',
      ),
    );
    expect(svg).toMatch(/^<svg /);
    for (const text of ['ROC curve', '3 rows', 'schedule: AUC 0.723', 'seed: AUC 0.668']) {
      expect(svg).toContain(`>${text}<`);
    }
  });

  it('labels each bar with its rate and flight count', async () => {
    const svg = await renderSvg(
      rateChart(
        [
          { group: 'Plus Ultra', rate: 0.61, flights: 49 },
          { group: 'Grupo LATAM', rate: 0.18, flights: 40892 },
        ],
        {
          title: 'By airline',
          subtitle: 's',
          groupTitle: 'Airline',
          overall: 0.185,
          orientation: 'horizontal',
        },
      ),
    );
    expect(svg).toContain('>61% of 49<');
    expect(svg).toContain('>Grupo LATAM<');
  });
});
