package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The rules follow the monitoring-mixins conventions, and every runbook link lands. */
class AlertConventionsTest {
  static final String RUNBOOK_BASE =
      "https://github.com/vigil-dev/vigil/blob/main/docs/MONITORING.md#";
  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

  @Test
  void everyAlert_hasACamelCaseName_aSeverity_aSummary_aDescription_andARunbook() {
    List<String> problems = new ArrayList<>();
    for (JsonNode rule : alertingRules()) {
      String name = rule.path("alert").asText();
      if (!name.matches("[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)*")) {
        problems.add(name + ": not CamelCase");
      }
      if (!SEVERITIES.contains(rule.path("labels").path("severity").asText())) {
        problems.add(name + ": severity must be one of " + SEVERITIES);
      }
      JsonNode annotations = rule.path("annotations");
      for (String key : List.of("summary", "description", "runbook_url")) {
        if (annotations.path(key).asText().isBlank()) {
          problems.add(name + ": no " + key + " annotation");
        }
      }
      String runbook = annotations.path("runbook_url").asText();
      if (!runbook.equals(RUNBOOK_BASE + name.toLowerCase(Locale.ROOT))) {
        problems.add(
            name
                + ": runbook_url should be "
                + RUNBOOK_BASE
                + name.toLowerCase(Locale.ROOT)
                + ", is "
                + runbook);
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void everyRunbookLink_pointsAtASectionOfMonitoringMd() {
    Set<String> anchors = headingAnchors(Repo.read(Repo.path("docs/MONITORING.md")));
    List<String> missing = new ArrayList<>();
    for (JsonNode rule : alertingRules()) {
      String runbook = rule.path("annotations").path("runbook_url").asText();
      String anchor = runbook.substring(runbook.indexOf('#') + 1);
      if (!anchors.contains(anchor)) {
        missing.add(rule.path("alert").asText() + " -> #" + anchor);
      }
    }
    assertThat(missing).as("runbook anchors without a heading in docs/MONITORING.md").isEmpty();
  }

  @Test
  void everyRecordingRule_isNamedLevelMetricOperations() {
    for (String name : Expressions.recordedNames()) {
      assertThat(name).matches("[a-z_]+:[a-z0-9_]+:[a-z0-9_]+");
    }
    assertThat(Expressions.recordedNames()).doesNotHaveDuplicates();
  }

  /** GitHub's anchors: lower case, spaces to hyphens, punctuation other than - and _ dropped. */
  static Set<String> headingAnchors(String markdown) {
    Set<String> anchors = new java.util.HashSet<>();
    Matcher m = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$").matcher(markdown);
    while (m.find()) {
      anchors.add(
          m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
    }
    return anchors;
  }

  static List<JsonNode> alertingRules() {
    List<JsonNode> rules = new ArrayList<>();
    for (Path file : Repo.ruleFiles()) {
      for (JsonNode group : Repo.yaml(file).path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          if (rule.has("alert")) {
            rules.add(rule);
          }
        }
      }
    }
    return rules;
  }
}
