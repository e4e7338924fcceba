package dev.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration tables of the repository's README, read as the configuration tests need them:
 * the variables of every table whose first column is {@code variable}, each with its documented
 * default, and the properties of the Spring Boot table. The core's and each module's table tests
 * check their settings against these, so the README and the code cannot drift apart.
 *
 * <pre>{@code
 * Map<String, String> defaults = ReadmeTables.defaults();          // METRICS_PORT -> 9091
 * Set<String> redis = ReadmeTables.variables(ReadmeTables.REDIS);  // VIGIL_REDIS_URL, ...
 * }</pre>
 *
 * <p>The README is {@code ../README.md} from a module's directory, where Maven runs its tests.
 */
public final class ReadmeTables {
  /** The README variables {@code vigil-redis} reads, by prefix. */
  public static final List<String> REDIS = List.of("VIGIL_REDIS_");

  /** The README variables {@code vigil-otel} reads, by prefix. */
  public static final List<String> OTEL = List.of("OTEL_", "VIGIL_OTEL_");

  /** The README variables {@code vigil-sentry} reads, by prefix or whole name. */
  public static final List<String> SENTRY =
      List.of("SENTRY_", "ALERT_SENTRY_ENABLED", "HOSTNAME", "COMPUTERNAME");

  /** The README variables {@code vigil-logback} reads, by prefix. */
  public static final List<String> LOGBACK = List.of("LOG_");

  /** Every module's variables: the README's other variables are the core's. */
  public static final List<List<String>> MODULES = List.of(REDIS, OTEL, SENTRY, LOGBACK);

  private static final Path README = Path.of("..", "README.md");
  private static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final Pattern LITERAL = Pattern.compile("\"([A-Z][A-Z0-9_]*)\"");

  private ReadmeTables() {}

  /**
   * The variables of every README table whose first column is {@code variable}, in README order,
   * each with its default as written: the first code span of the default column, its n-th for a row
   * of several variables, or {@code none} when the column starts with prose. Parenthesised names,
   * such as {@code (or SENTRY_DSN_FILE)}, are not rows of their own.
   */
  public static Map<String, String> defaults() {
    Map<String, String> defaults = new LinkedHashMap<>();
    for (List<String> cells : rows("variable")) {
      List<String> variables = new ArrayList<>();
      for (String name : codeSpans(cells.get(0).replaceAll("\\([^)]*\\)", ""))) {
        for (String expanded : expand(name)) {
          if (VARIABLE.matcher(expanded).matches()) {
            variables.add(expanded);
          }
        }
      }
      String column = cells.get(1).strip();
      List<String> values = column.startsWith("`") ? codeSpans(column) : List.of();
      for (int i = 0; i < variables.size(); i++) {
        String value =
            values.isEmpty()
                ? "none"
                : values.size() >= variables.size() ? values.get(i) : values.get(0);
        defaults.put(variables.get(i), value);
      }
    }
    return defaults;
  }

  /** The README's variables that start with one of {@code prefixes} (a whole name counts too). */
  public static Set<String> variables(List<String> prefixes) {
    Set<String> variables = new TreeSet<>();
    for (String variable : defaults().keySet()) {
      if (matches(variable, prefixes)) {
        variables.add(variable);
      }
    }
    return variables;
  }

  /** Whether {@code variable} starts with one of {@code prefixes}. */
  public static boolean matches(String variable, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (variable.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The properties of the README's {@code | property | default |} table: {@code `a.b.c` / `.d`} is
   * {@code a.b.c} and {@code a.b.d}; a module's {@code vigil.redis.*} is left out, it stands for
   * the module's variables.
   */
  public static Set<String> properties() {
    Set<String> properties = new TreeSet<>();
    for (List<String> cells : rows("property")) {
      String previous = null;
      for (String name : codeSpans(cells.get(0))) {
        if (name.startsWith(".") && previous != null) {
          name = previous.substring(0, previous.lastIndexOf('.')) + name;
        }
        if (name.startsWith("vigil.") && !name.endsWith(".*")) {
          properties.add(name);
          previous = name;
        }
      }
    }
    return properties;
  }

  /**
   * The string literals of the Java sources under {@code sources} that are a whole variable name
   * starting with one of {@code prefixes}, such as {@code "VIGIL_REDIS_TIMEOUT"}: the variables a
   * module's code reads, whichever way it reads them. A prefix such as {@code "VIGIL_REDIS_"} is
   * not a name.
   */
  public static Set<String> namedIn(Path sources, List<String> prefixes) {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file :
          (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
        Matcher m = LITERAL.matcher(Files.readString(file, StandardCharsets.UTF_8));
        while (m.find()) {
          if (matches(m.group(1), prefixes) && !m.group(1).endsWith("_")) {
            names.add(m.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sources under " + sources, e);
    }
    return names;
  }

  /**
   * Fails unless the README's variables under {@code prefixes} are exactly {@code covered} (the
   * variables a module's table test has a case for), and the module's code, under {@code
   * src/main/java}, names no other variable under them.
   */
  public static void assertModuleCovered(Collection<String> covered, List<String> prefixes) {
    assertThat(covered)
        .as("the README's variables under " + prefixes + ", each with a case in the test")
        .containsExactlyInAnyOrderElementsOf(variables(prefixes));
    assertThat(namedIn(Path.of("src", "main", "java"), prefixes))
        .as("the variables under " + prefixes + " that the module's code names")
        .containsExactlyInAnyOrderElementsOf(covered);
  }

  private static List<List<String>> rows(String firstHeader) {
    List<String> lines;
    try {
      lines = Files.readAllLines(README, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + README.toAbsolutePath(), e);
    }
    List<List<String>> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : lines) {
      if (!line.startsWith("|")) {
        inTable = false;
        continue;
      }
      List<String> cells = cells(line);
      if (cells.get(0).equals(firstHeader)) {
        inTable = true;
      } else if (inTable && !cells.get(0).startsWith("---")) {
        rows.add(cells);
      }
    }
    return rows;
  }

  /** The cells of a table line; {@code \|} inside a cell is not a separator. */
  private static List<String> cells(String line) {
    String body = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length());
    List<String> cells = new ArrayList<>();
    for (String cell : body.split("(?<!\\\\)\\|", -1)) {
      cells.add(cell.replace("\\|", "|").strip());
    }
    return cells;
  }

  private static List<String> codeSpans(String text) {
    List<String> spans = new ArrayList<>();
    Matcher m = CODE.matcher(text);
    while (m.find()) {
      spans.add(m.group(1));
    }
    return spans;
  }

  /** {@code ALERT_{LOG,SLACK}_MIN_SEVERITY} is two variables. */
  private static List<String> expand(String name) {
    int open = name.indexOf('{');
    int close = name.indexOf('}');
    if (open < 0 || close < open) {
      return List.of(name);
    }
    return Stream.of(name.substring(open + 1, close).split(","))
        .map(part -> name.substring(0, open) + part.strip() + name.substring(close + 1))
        .toList();
  }
}
