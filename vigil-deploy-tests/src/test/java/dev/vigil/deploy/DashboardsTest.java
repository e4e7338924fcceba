package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.MetricCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards load through file provisioning unchanged: Grafana is not installable here,
 * so their structure is checked, and every query is evaluated by a real Prometheus in {@link
 * EndToEndTest}.
 */
class DashboardsTest {
  private static final String DATASOURCE = "${datasource}";

  @Test
  void theFourDashboardsExist_withUniqueUids() {
    Set<String> uids = new HashSet<>();
    for (Path file : Repo.dashboards()) {
      JsonNode dashboard = Repo.json(file);
      assertThat(uids.add(dashboard.path("uid").asText())).as("duplicate uid in " + file).isTrue();
      assertThat(dashboard.path("title").asText()).startsWith("Vigil / ");
      assertThat(dashboard.has("__inputs"))
          .as(
              file
                  + ": file provisioning does not resolve"
                  + " __inputs such as ${DS_PROMETHEUS}; use the datasource variable")
          .isFalse();
      assertThat(dashboard.has("id") && !dashboard.path("id").isNull()).as(file + " id").isFalse();
    }
    assertThat(uids)
        .containsExactlyInAnyOrder(
            "vigil-overview", "vigil-business", "vigil-queues", "vigil-ai-cost");
  }

  @Test
  void everyDashboard_hasTheDatasourceAndServiceVariables() {
    for (Path file : Repo.dashboards()) {
      JsonNode variables = Repo.json(file).path("templating").path("list");
      JsonNode datasource = variable(variables, "datasource");
      assertThat(datasource.path("type").asText()).as(file + " datasource").isEqualTo("datasource");
      assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
      JsonNode service = variable(variables, "service");
      assertThat(service.path("type").asText()).as(file + " service").isEqualTo("query");
      assertThat(service.path("datasource").path("uid").asText()).isEqualTo(DATASOURCE);
      assertThat(service.path("definition").asText())
          .isEqualTo("label_values(" + MetricCatalog.LABEL_SETS.name() + ", service)");
      assertThat(service.path("includeAll").asBoolean()).isTrue();
      assertThat(service.path("multi").asBoolean()).isTrue();
      assertThat(service.path("allValue").asText()).isEqualTo(".*");
    }
  }

  @Test
  void everyPanel_hasAUniqueId_theDatasourceVariable_aUnit_andQueries() {
    List<String> problems = new ArrayList<>();
    for (Path file : Repo.dashboards()) {
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : Dashboards.panels(Repo.json(file))) {
        String where = Repo.relative(file) + " \"" + panel.path("title").asText() + "\"";
        if (!ids.add(panel.path("id").asInt(-1))) {
          problems.add(where + ": duplicate or missing id");
        }
        if (Dashboards.isRow(panel)) {
          continue;
        }
        if (!DATASOURCE.equals(panel.path("datasource").path("uid").asText())) {
          problems.add(where + ": panel datasource is not " + DATASOURCE);
        }
        if (panel.path("fieldConfig").path("defaults").path("unit").asText().isBlank()) {
          problems.add(where + ": no unit");
        }
        if (panel.path("description").asText().isBlank()) {
          problems.add(where + ": no description");
        }
        if (panel.path("targets").isEmpty()) {
          problems.add(where + ": no query");
        }
        for (JsonNode target : panel.path("targets")) {
          if (!DATASOURCE.equals(target.path("datasource").path("uid").asText())) {
            problems.add(
                where
                    + " "
                    + target.path("refId").asText()
                    + ": target datasource is not "
                    + DATASOURCE);
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  /** Ranges follow Grafana's step and the scrape interval: a fixed [5m] would hide or alias. */
  @Test
  void everyRangeInAPanelQuery_isTheRateInterval() {
    Pattern range = Pattern.compile("\\[([^\\]]*)\\]");
    List<String> problems = new ArrayList<>();
    for (Expressions.Expression e : Expressions.dashboards()) {
      Matcher m = range.matcher(e.expr());
      while (m.find()) {
        if (!m.group(1).equals("$__rate_interval")) {
          problems.add(e.source() + ": [" + m.group(1) + "]");
        }
      }
      if (e.expr().matches("(?s).*\\b(rate|irate|increase)\\(.*")
          && !e.expr().contains("[$__rate_interval]")) {
        problems.add(e.source() + ": rate or increase without $__rate_interval");
      }
    }
    assertThat(problems).isEmpty();
  }

  /** Vigil's series carry `service`; each selector of one follows the service variable. */
  @Test
  void everyVigilSelectorInAPanelQuery_filtersByTheServiceVariable() {
    Set<String> vigil = new HashSet<>();
    MetricCatalog.all().forEach(d -> vigil.addAll(d.seriesNames()));
    vigil.addAll(MetricNamesTest.jvmSeries());
    List<String> problems = new ArrayList<>();
    for (Expressions.Expression e : Expressions.dashboards()) {
      for (PromQl.Selector s : PromQl.selectors(e.expr())) {
        if (vigil.contains(s.metric()) && !s.matchers().contains("service=~\"$service\"")) {
          problems.add(e.source() + ": " + s);
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  private static JsonNode variable(JsonNode variables, String name) {
    for (JsonNode v : variables) {
      if (name.equals(v.path("name").asText())) {
        return v;
      }
    }
    throw new AssertionError("no variable " + name);
  }
}
