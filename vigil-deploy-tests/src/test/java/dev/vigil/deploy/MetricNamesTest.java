package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.MetricCatalog;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every metric named in the rules, the dashboards and the docs exists: in Vigil's {@link
 * MetricCatalog}, among client_java's JVM and process metrics, as Prometheus' own {@code up}, or as
 * one of our recording rules. New catalogue entries are picked up without touching this test.
 */
class MetricNamesTest {

  /** The series names a Vigil service can expose, plus Prometheus' {@code up}. */
  static Set<String> knownSeries() {
    Set<String> known = new TreeSet<>();
    for (MetricCatalog.Definition d : MetricCatalog.all()) {
      known.addAll(d.seriesNames());
    }
    known.addAll(jvmSeries());
    known.add("up");
    return known;
  }

  /** client_java's JVM and process series, as exposed by the version Vigil depends on. */
  static Set<String> jvmSeries() {
    PrometheusRegistry registry = new PrometheusRegistry();
    JvmMetrics.builder().register(registry);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.DEFAULT);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    Set<String> names = new TreeSet<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  @Test
  void theJvmNamesComeFromClientJava() {
    assertThat(jvmSeries()).contains("jvm_memory_used_bytes", "process_cpu_seconds_total");
  }

  @Test
  void everyMetricInRulesDashboardsAndDocsQueries_exists() {
    Set<String> known = knownSeries();
    Set<String> recorded = new TreeSet<>(Expressions.recordedNames());
    List<String> unknown = new ArrayList<>();
    for (Expressions.Expression e : Expressions.all()) {
      for (String name : PromQl.metricNames(e.expr())) {
        if (name.contains(":") ? !recorded.contains(name) : !known.contains(name)) {
          unknown.add(name + " in " + e.source());
        }
      }
    }
    assertThat(Expressions.all()).hasSizeGreaterThan(50);
    assertThat(unknown)
        .as(
            "metric names not in MetricCatalog, client_java's JVM metrics, up, or"
                + " the recording rules")
        .isEmpty();
  }

  @Test
  void everyDashboardVariableQuery_usesAKnownMetric() {
    Set<String> known = knownSeries();
    Pattern labelValues = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
    for (Path file : Repo.dashboards()) {
      for (JsonNode variable : Repo.json(file).path("templating").path("list")) {
        Matcher m = labelValues.matcher(variable.path("definition").asText());
        if (m.find()) {
          assertThat(known).as(file + " variable " + variable.path("name")).contains(m.group(1));
        }
      }
    }
  }

  /**
   * Metric names quoted in the docs' prose and tables (`token_spend_total`,
   * `service:payment_conversion:ratio_rate5m`) exist too.
   */
  @Test
  void everyMetricNamedInTheDocs_exists() {
    Set<String> known = knownSeries();
    Set<String> recorded = new TreeSet<>(Expressions.recordedNames());
    Pattern quoted = Pattern.compile("`([a-z_][a-z0-9_:]*)(?:\\{[^`]*\\})?`");
    Pattern metricLike =
        Pattern.compile(
            ".*(_total|_seconds|_bucket|_count|_sum|_bytes|_distinct)$|^vigil_.*"
                + "|^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$");
    List<String> unknown = new ArrayList<>();
    for (Path doc : Repo.docs()) {
      Matcher m = quoted.matcher(Repo.read(doc));
      while (m.find()) {
        String name = m.group(1);
        if (!metricLike.matcher(name).matches() || name.startsWith("vigil_max")) {
          continue;
        }
        boolean exists = name.contains(":") ? recorded.contains(name) : known.contains(name);
        if (!exists) {
          unknown.add(name + " in " + Repo.relative(doc));
        }
      }
    }
    assertThat(unknown).isEmpty();
  }
}
