package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.testkit.Promtool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The real promtool accepts the configuration and rules, and every alert is unit-tested. */
class PromtoolTest {

  @Test
  void checkConfig_acceptsTheScrapeConfigurationAndItsRuleFiles() {
    Promtool.Result result =
        Promtool.run(
            List.of(
                Promtool.binary().toString(),
                "check",
                "config",
                Repo.path("deploy/prometheus/prometheus.yml").toString()));
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output())
        .contains("is valid prometheus config file syntax")
        .contains(Repo.ruleFiles().size() + " rule files found");
  }

  @Test
  void checkRules_acceptsEveryRuleFile() {
    for (Path file : Repo.ruleFiles()) {
      Promtool.Result result =
          Promtool.run(List.of(Promtool.binary().toString(), "check", "rules", file.toString()));
      assertThat(result.exitCode()).as(file + "\n" + result.output()).isZero();
      assertThat(result.output()).contains("SUCCESS");
    }
  }

  @Test
  void testRules_passesEveryUnitTest() {
    List<String> command = new ArrayList<>(List.of(Promtool.binary().toString(), "test", "rules"));
    Repo.ruleTestFiles().forEach(f -> command.add(f.toString()));
    Promtool.Result result = Promtool.run(command);
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).doesNotContain("FAILED");
  }

  /**
   * Each alerting rule (an alert name with its static labels, since ApiErrorBudgetBurn has three
   * rules) is expected to fire in some unit test, and each alert name is expected quiet in one.
   */
  @Test
  void everyAlertingRule_hasAFiringAndAQuietUnitTest() {
    List<Map<String, String>> fired = new ArrayList<>();
    List<String> quiet = new ArrayList<>();
    for (Path file : Repo.ruleTestFiles()) {
      for (JsonNode test : Repo.yaml(file).path("tests")) {
        for (JsonNode check : test.path("alert_rule_test")) {
          String name = check.path("alertname").asText();
          if (check.path("exp_alerts").isEmpty()) {
            quiet.add(name);
          }
          for (JsonNode alert : check.path("exp_alerts")) {
            Map<String, String> labels = new java.util.TreeMap<>();
            alert
                .path("exp_labels")
                .properties()
                .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            labels.put("alertname", name);
            fired.add(labels);
          }
        }
      }
    }
    List<String> missing = new ArrayList<>();
    for (Path file : Repo.ruleFiles()) {
      for (JsonNode group : Repo.yaml(file).path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          if (!rule.has("alert")) {
            continue;
          }
          String name = rule.path("alert").asText();
          Map<String, String> expected = new java.util.TreeMap<>();
          rule.path("labels")
              .properties()
              .forEach(e -> expected.put(e.getKey(), e.getValue().asText()));
          expected.put("alertname", name);
          boolean firing =
              fired.stream().anyMatch(l -> l.entrySet().containsAll(expected.entrySet()));
          if (!firing) {
            missing.add(expected + " never fires in deploy/prometheus/tests");
          }
          if (!quiet.contains(name)) {
            missing.add(
                name + " is never tested quiet (exp_alerts: []) in deploy/prometheus/tests");
          }
        }
      }
    }
    assertThat(missing.stream().distinct().collect(Collectors.toList())).isEmpty();
  }
}
