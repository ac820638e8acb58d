/** The report's closing section: how each figure is computed and what raises an alert. */

export function METHOD(minFlights: number): string {
  return `## How to read this report

**Weeks.** Flights are grouped by the ISO week of their scheduled departure (\`Fecha-I\` in
Santiago time). \`vuelos\` and LATAM flights carry a month but no date: they are grouped by the ISO
week in which they were logged, marked "logged".

**Input drift.** Each field the card's \`trainingDistribution\` counts, as the model reads it (a
destination without a column of its own is \`other\`; \`hora\` is the scheduled time of day in
hours; \`DIANOM\` from \`Fecha-I\`), against the training flights of the same months, weighted by
the week's flights in each month (\`byMonth\`); \`DIANOM\` against the whole training period,
and in the first and last weeks, which the period may cut, against the same weekdays only.
\`MES\` picks the reference and is not compared. Categorical fields: L-infinity distance, the
largest change of any value's share. \`hora\` and the probabilities: Jensen–Shannon distance
√JSD, with JSD = ½ KL(P‖M) + ½ KL(Q‖M), M = ½(P + Q), in bits (log base 2), so from 0 to 1.
A distance above its threshold in a week of at least ${minFlights} flights is an alert.

**Prediction drift.** The probabilities' histogram (bins of 0.05) against the served model's
probabilities on its training flights of the same months.

**Estimated performance** (confidence-based, as NannyML's CBPE), from the probabilities alone,
assuming they are calibrated: at the card's threshold t, E[TP] = Σ_{p≥t} p, E[FP] = Σ_{p≥t} (1 − p),
E[FN] = Σ_{p<t} p, and F1 = 2E[TP] / (2E[TP] + E[FP] + E[FN]); the ROC AUC is that of every flight
counted as delayed with weight p and as on time with weight 1 − p. It cannot see a change in how
delays follow from the inputs (concept drift): only the actual times can.

**Realized performance** (with actual departures): delayed when \`Fecha-O\` − \`Fecha-I\` > 15
minutes, as training labels it; ROC AUC, log loss, ECE (10 bins). Intervals: 95% percentile
bootstrap resampling whole weeks for the period and whole days for a single week.

**Performance alerts.** The card's interval is that of a figure over its W held-out weeks,
resampled by week: its half-width is about 1.96 σ/√W, σ the spread of one week's figure. A figure
over P weeks is compared with that interval scaled to P weeks (each half-width × √(W/P)): the
card's own for a period as long as its held-out weeks, √W times wider for one week (the grey band
of the ROC AUC chart). The period alerts when its figure lies beyond it on the bad side (below for
ROC AUC, above for log loss and ECE); a single week only when its whole 95% interval does, so
that checking many weeks and figures does not alert on one unlucky week. ECE is checked over the
period only: a week's ECE carries that week's own delay rate, which weeks pooled average out.

**When to retrain.** An alert on realized performance is the reason to retrain: the model no
longer ranks or prices delays as it did on unseen weeks. Drift or an estimated drop without
actual times says where to look and to collect them; drift that persists for weeks on a field the
model leans on (airline, hour) is a reason to retrain on recent flights even before.`;
}
