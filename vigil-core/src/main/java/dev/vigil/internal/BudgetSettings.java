package dev.vigil.internal;

import dev.vigil.AiBudget;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The AI budget variables: {@code VIGIL_BUDGET_SERVICE=100/day,2000/month}, {@code
 * VIGIL_BUDGET_MODEL=gpt-4o=40/day}, {@code VIGIL_BUDGET_USER=5/24h}, {@code
 * VIGIL_BUDGET_ALERT_AT=80,100}, {@code VIGIL_BUDGET_ZONE=Europe/Berlin}. Every error names the
 * variable, the value and the form it takes.
 */
public final class BudgetSettings {
  private BudgetSettings() {}

  public static List<AiBudget> service(String variable, String value) {
    List<AiBudget> budgets = new ArrayList<>();
    for (String item : items(variable, value)) {
      String[] parts = amountAndWindow(variable, item, "100/day");
      budgets.add(
          wrap(
              variable,
              () ->
                  AiBudget.service(
                      window(variable, item, parts[1]), usd(variable, item, parts[0]))));
    }
    return budgets;
  }

  public static List<AiBudget> model(String variable, String value) {
    List<AiBudget> budgets = new ArrayList<>();
    for (String item : items(variable, value)) {
      int eq = item.lastIndexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            variable
                + ": '"
                + Printable.text(item)
                + "' is not <model>=<usd>/<window>, such as gpt-4o=40/day");
      }
      String model = item.substring(0, eq).strip();
      String rest = item.substring(eq + 1).strip();
      String[] parts = amountAndWindow(variable, rest, "gpt-4o=40/day");
      budgets.add(
          wrap(
              variable,
              () ->
                  AiBudget.model(
                      model, window(variable, item, parts[1]), usd(variable, item, parts[0]))));
    }
    return budgets;
  }

  public static List<AiBudget> user(String variable, String value) {
    List<AiBudget> budgets = new ArrayList<>();
    for (String item : items(variable, value)) {
      String[] parts = amountAndWindow(variable, item, "5/24h");
      String w = parts[1].toLowerCase(Locale.ROOT);
      Duration window =
          w.equals("day")
              ? Duration.ofHours(24)
              : w.equals("hour") ? Duration.ofHours(1) : Values.duration(variable, w);
      budgets.add(wrap(variable, () -> AiBudget.perUser(window, usd(variable, item, parts[0]))));
    }
    return budgets;
  }

  public static int[] percents(String variable, String value) {
    List<String> items = items(variable, value);
    int[] percents = new int[items.size()];
    for (int i = 0; i < percents.length; i++) {
      try {
        percents[i] = Integer.parseInt(items.get(i).replace("%", "").strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            variable
                + ": '"
                + Printable.text(items.get(i))
                + "' is not a whole percentage; give percentages of the limit, such as 80,100",
            e);
      }
    }
    wrap(variable, () -> AiBudget.service(AiBudget.Window.DAY, BigDecimal.ONE).alertAt(percents));
    return percents;
  }

  public static ZoneId zone(String variable, String value) {
    try {
      return ZoneId.of(value.strip());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          variable
              + ": '"
              + Printable.text(value)
              + "' is not a time zone; use an id such as UTC or Europe/Berlin",
          e);
    }
  }

  private static List<String> items(String variable, String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    if (items.isEmpty()) {
      throw new IllegalArgumentException(variable + " is set but empty; unset it for no budget");
    }
    return items;
  }

  private static String[] amountAndWindow(String variable, String item, String example) {
    int slash = item.indexOf('/');
    if (slash <= 0 || slash == item.length() - 1) {
      throw new IllegalArgumentException(
          variable + ": '" + Printable.text(item) + "' is not <usd>/<window>, such as " + example);
    }
    return new String[] {item.substring(0, slash).strip(), item.substring(slash + 1).strip()};
  }

  private static AiBudget.Window window(String variable, String item, String name) {
    try {
      return AiBudget.Window.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          variable
              + ": the window of '"
              + Printable.text(item)
              + "' is hour, day, week or month, got '"
              + Printable.text(name)
              + "'",
          e);
    }
  }

  private static BigDecimal usd(String variable, String item, String amount) {
    if (amount.length() > 32) {
      throw new IllegalArgumentException(
          variable + ": '" + Printable.text(item) + "' has no amount of US dollars, such as 100");
    }
    try {
      return new BigDecimal(amount.replace("$", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          variable
              + ": '"
              + Printable.text(amount)
              + "' of '"
              + Printable.text(item)
              + "' is not an amount of US dollars, such as 100 or 12.50",
          e);
    }
  }

  private interface Make<T> {
    T make();
  }

  private static <T> T wrap(String variable, Make<T> make) {
    try {
      return make.make();
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      if (message.startsWith(variable + ": ")) {
        throw e; // a value this class checked itself names the variable already
      }
      throw new IllegalArgumentException(variable + ": " + message, e);
    }
  }
}
