package dev.vigil.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every PromQL expression the project ships: recording and alerting rules, dashboard panel queries,
 * and the {@code promql} blocks of docs/*.md.
 */
final class Expressions {
  enum Kind {
    RECORDING_RULE,
    ALERTING_RULE,
    DASHBOARD,
    DOCS
  }

  /**
   * One expression and where it comes from.
   *
   * @param source file and rule, panel or line, for failure messages
   * @param expr as written in the file
   */
  record Expression(Kind kind, String source, String expr) {
    /** The expression as Prometheus receives it: Grafana's variables replaced. */
    String evaluable() {
      return kind == Kind.DASHBOARD ? substituteGrafanaVariables(expr) : expr;
    }

    @Override
    public String toString() {
      return source + ": " + expr.strip();
    }
  }

  /**
   * What Grafana puts in place of the variables our dashboards use. The rate interval is 1m:
   * Grafana makes it at least four scrape intervals, and in the end-to-end test (1 s scrapes, under
   * a minute of traffic) a minute spans the whole run.
   */
  static final Map<String, String> GRAFANA_VARIABLES =
      Map.of(
          "$__rate_interval",
          "1m",
          "${__rate_interval}",
          "1m",
          "$service",
          ".*",
          "${service}",
          ".*");

  private static final Pattern PROMQL_BLOCK =
      Pattern.compile("(?m)^```promql\\s*\\n(.*?)^```", Pattern.DOTALL);

  private Expressions() {}

  static String substituteGrafanaVariables(String expr) {
    String result = expr;
    for (Map.Entry<String, String> e : GRAFANA_VARIABLES.entrySet()) {
      result = result.replace(e.getKey(), e.getValue());
    }
    if (result.contains("$")) {
      throw new AssertionError("unknown Grafana variable in " + expr);
    }
    return result;
  }

  static List<Expression> all() {
    List<Expression> all = new ArrayList<>();
    all.addAll(rules());
    all.addAll(dashboards());
    all.addAll(docs());
    return all;
  }

  static List<Expression> rules() {
    List<Expression> result = new ArrayList<>();
    for (Path file : Repo.ruleFiles()) {
      for (JsonNode group : Repo.yaml(file).path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          boolean alert = rule.has("alert");
          String name = alert ? rule.path("alert").asText() : rule.path("record").asText();
          result.add(
              new Expression(
                  alert ? Kind.ALERTING_RULE : Kind.RECORDING_RULE,
                  Repo.relative(file)
                      + " "
                      + (alert ? "alert " : "record ")
                      + name
                      + (alert ? " " + rule.path("labels").toString() : ""),
                  rule.path("expr").asText()));
        }
      }
    }
    return result;
  }

  static List<Expression> dashboards() {
    List<Expression> result = new ArrayList<>();
    for (Path file : Repo.dashboards()) {
      for (JsonNode panel : Dashboards.panels(Repo.json(file))) {
        for (JsonNode target : panel.path("targets")) {
          result.add(
              new Expression(
                  Kind.DASHBOARD,
                  Repo.relative(file)
                      + " panel \""
                      + panel.path("title").asText()
                      + "\" ref "
                      + target.path("refId").asText(),
                  target.path("expr").asText()));
        }
      }
    }
    return result;
  }

  static List<Expression> docs() {
    List<Expression> result = new ArrayList<>();
    for (Path file : Repo.docs()) {
      String text = Repo.read(file);
      Matcher m = PROMQL_BLOCK.matcher(text);
      while (m.find()) {
        int line = 1 + (int) text.substring(0, m.start()).chars().filter(ch -> ch == '\n').count();
        result.add(new Expression(Kind.DOCS, Repo.relative(file) + " line " + line, m.group(1)));
      }
    }
    return result;
  }

  /** The names of the recording rules. */
  static List<String> recordedNames() {
    List<String> names = new ArrayList<>();
    for (Path file : Repo.ruleFiles()) {
      for (JsonNode group : Repo.yaml(file).path("groups")) {
        for (JsonNode rule : group.path("rules")) {
          if (rule.has("record")) {
            names.add(rule.path("record").asText());
          }
        }
      }
    }
    return names;
  }
}
