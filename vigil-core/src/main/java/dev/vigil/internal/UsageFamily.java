package dev.vigil.internal;

import dev.vigil.MetricCatalog;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * The per-model index of {@code token_spend_total} behind the provider usage entry points: one
 * lock-free lookup by model gives the series of every token kind (see {@link UsageCell}). It is
 * never registered nor exposed; the label rules, the cap and the reporting of bad model values are
 * those of {@code token_spend_total}, whose name it carries.
 */
final class UsageFamily extends Family<UsageCell> {
  private final CounterFamily tokens;

  UsageFamily(CounterFamily tokens, String service, InputGuard guard, LabelPolicy policy, int max) {
    super(
        new MetricCatalog.Definition(
            tokens.name(),
            MetricCatalog.Type.COUNTER,
            tokens.definition().help(),
            List.of("model"),
            List.of()),
        service,
        guard,
        policy,
        max);
    this.tokens = tokens;
  }

  @Override
  UsageCell newCell(Labels labels) {
    return new UsageCell(labels, tokens);
  }

  @Override
  MetricSnapshot snapshot() {
    return empty();
  }

  @Override
  MetricSnapshot empty() {
    return new CounterSnapshot(metadata(), List.of());
  }
}
