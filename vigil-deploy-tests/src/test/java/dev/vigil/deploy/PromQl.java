package dev.vigil.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the series selectors in a PromQL expression ({@code errors_total{severity="critical"}},
 * {@code up}) so that tests can check every metric name against the catalogue and ask Prometheus
 * whether each selector matches anything. A scanner, not a parser: it skips strings, comments,
 * range and subquery brackets, grouping lists (by, without, on, ignoring, group_left, group_right),
 * function and aggregation names and keywords, and what is left are selectors. Prometheus itself
 * parses every expression in the end-to-end test.
 */
final class PromQl {
  private static final Set<String> AGGREGATIONS =
      Set.of(
          "sum",
          "min",
          "max",
          "avg",
          "group",
          "stddev",
          "stdvar",
          "count",
          "count_values",
          "bottomk",
          "topk",
          "quantile",
          "limitk",
          "limit_ratio");
  private static final Set<String> GROUPING =
      Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "atan2", "start", "end");

  /**
   * A selector: the metric name, its matchers as written (empty if none) and its offset modifier
   * ({@code " offset 1w"}, empty if none); {@link #toString()} is a valid instant selector.
   */
  record Selector(String metric, String matchers, String offset) {
    @Override
    public String toString() {
      return metric + matchers + offset;
    }
  }

  private PromQl() {}

  static List<Selector> selectors(String expr) {
    List<Selector> result = new ArrayList<>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '#') {
        while (i < n && expr.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '[') {
        i = skipTo(expr, i, ']');
      } else if (c == '{') {
        i = skipTo(expr, i, '}');
      } else if (isIdentifierStart(c)
          && (i == 0
              || !isIdentifierPart(expr.charAt(i - 1))
                  && expr.charAt(i - 1) != '.'
                  && expr.charAt(i - 1) != '$')) {
        int start = i;
        while (i < n && isIdentifierPart(expr.charAt(i))) {
          i++;
        }
        String word = expr.substring(start, i);
        int next = skipSpaces(expr, i);
        String lower = word.toLowerCase(java.util.Locale.ROOT);
        if (GROUPING.contains(lower)) {
          if (next < n && expr.charAt(next) == '(') {
            i = skipTo(expr, next, ')');
          }
        } else if (AGGREGATIONS.contains(lower) || KEYWORDS.contains(lower)) {
          // an operator, not a metric
        } else if (next < n && expr.charAt(next) == '(') {
          // a function call; its arguments are scanned as they come
        } else {
          String matchers = "";
          if (next < n && expr.charAt(next) == '{') {
            i = skipTo(expr, next, '}');
            matchers = expr.substring(next, i);
          }
          result.add(new Selector(word, matchers, offset(expr, i)));
        }
      } else {
        i++;
      }
    }
    return result;
  }

  /** The metric names the expression selects. */
  static Set<String> metricNames(String expr) {
    Set<String> names = new LinkedHashSet<>();
    for (Selector s : selectors(expr)) {
      names.add(s.metric());
    }
    return names;
  }

  private static final java.util.regex.Pattern OFFSET =
      java.util.regex.Pattern.compile("\\s*(?:\\[[^\\]]*\\])?\\s*offset\\s+(-?[0-9a-z]+)");

  /** The offset modifier after a selector (and its range, if any) at {@code i}. */
  private static String offset(String expr, int i) {
    java.util.regex.Matcher m = OFFSET.matcher(expr).region(i, expr.length());
    return m.lookingAt() ? " offset " + m.group(1) : "";
  }

  private static boolean isIdentifierStart(char c) {
    return Character.isLetter(c) || c == '_' || c == ':';
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == ':';
  }

  private static int skipSpaces(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int skipString(String s, int i) {
    char quote = s.charAt(i);
    i++;
    while (i < s.length() && s.charAt(i) != quote) {
      if (s.charAt(i) == '\\' && quote != '`') {
        i++;
      }
      i++;
    }
    return i + 1;
  }

  /** The index just after the closing character, skipping strings inside. */
  private static int skipTo(String s, int i, char close) {
    i++;
    while (i < s.length() && s.charAt(i) != close) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(s, i);
      } else {
        i++;
      }
    }
    return i + 1;
  }
}
