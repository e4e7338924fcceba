package dev.vigil;

import dev.vigil.internal.CoreMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What every custom KPI declaration shares: a name, help text and label names, each checked as soon
 * as it is given. Declaration is configuration, so mistakes throw {@link IllegalArgumentException}
 * at once, in strict mode or not.
 *
 * <pre>{@code
 * KpiCounter refunds = monitoring.metrics().counter("refunds_total")   // a MetricBuilder
 *     .help("Refunds issued, by reason.")
 *     .labelNames("reason")
 *     .register();
 * }</pre>
 *
 * @param <B> the concrete builder
 * @param <M> the metric it registers
 */
public abstract class MetricBuilder<B extends MetricBuilder<B, M>, M> {
  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  final CoreMetrics core;
  final String name;
  @Nullable String help;
  List<String> labelNames = List.of();

  MetricBuilder(CoreMetrics core, String name) {
    this.core = core;
    Objects.requireNonNull(name, "metric name must not be null");
    if (!METRIC_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Metric name '"
              + name
              + "' is not a valid Prometheus name: use letters, digits,"
              + " underscores and colons, not starting with a digit, e.g. signups_total.");
    }
    if (name.startsWith("vigil_")) {
      throw new IllegalArgumentException(
          "Metric name '"
              + name
              + "' starts with 'vigil_', which is reserved for Vigil's own"
              + " metrics. Choose another prefix.");
    }
    this.name = name;
  }

  abstract B self();

  /** The {@code # HELP} text: what the metric counts, in one sentence. */
  public B help(String help) {
    Objects.requireNonNull(help, "help must not be null");
    this.help = help;
    return self();
  }

  /**
   * The labels, besides {@code service}, in the order their values will be passed. Keep them to
   * small fixed sets of values: never user ids, payment ids or free text.
   */
  public B labelNames(String... labelNames) {
    Set<String> seen = new HashSet<>();
    List<String> names = new ArrayList<>();
    for (String label : labelNames) {
      Objects.requireNonNull(label, "label names must not be null");
      if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
        throw new IllegalArgumentException(
            "Label name '"
                + label
                + "' of "
                + name
                + " is not a valid Prometheus label name: use"
                + " letters, digits and underscores, not starting with a digit or '__'.");
      }
      if (label.equals(MetricCatalog.SERVICE_LABEL) || reservedLabel(label)) {
        throw new IllegalArgumentException(
            "Label name '"
                + label
                + "' of "
                + name
                + " is reserved"
                + (label.equals(MetricCatalog.SERVICE_LABEL)
                    ? ": Vigil adds 'service' to every series itself."
                    : " by Prometheus for this metric type."));
      }
      if (!seen.add(label)) {
        throw new IllegalArgumentException(
            "Label name '" + label + "' is given twice for " + name + ".");
      }
      names.add(label);
    }
    this.labelNames = List.copyOf(names);
    return self();
  }

  boolean reservedLabel(String label) {
    return false;
  }

  String helpOrDefault() {
    return help == null ? name.replace('_', ' ') : help;
  }

  /** Declares the metric, or returns the one already declared with the same definition. */
  public abstract M register();
}
