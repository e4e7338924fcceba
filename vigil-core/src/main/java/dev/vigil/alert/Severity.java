package dev.vigil.alert;

import java.util.Locale;

/**
 * How urgent an alert is, in increasing order. Channels are routed by a minimum severity: a channel
 * set to {@link #ERROR} receives {@code ERROR} and {@code CRITICAL} alerts.
 *
 * <pre>{@code
 * monitoring.alerts().send(Alert.builder("stock_low", Severity.WARNING, "Stock is low").build());
 * Severity.parse("critical"); // CRITICAL
 * }</pre>
 */
public enum Severity {
  INFO,
  WARNING,
  ERROR,
  CRITICAL;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The lower-case name used in payloads and labels: {@code info}, {@code warning}, ... */
  public String label() {
    return label;
  }

  /** Whether this severity is {@code minimum} or more urgent. */
  public boolean atLeast(Severity minimum) {
    return compareTo(minimum) >= 0;
  }

  /**
   * The severity named {@code text}, ignoring case; {@code warn} is accepted for {@link #WARNING}.
   *
   * @throws IllegalArgumentException listing the accepted names
   */
  public static Severity parse(String text) {
    String value = text.strip().toLowerCase(Locale.ROOT);
    for (Severity s : values()) {
      if (s.label.equals(value)) {
        return s;
      }
    }
    if (value.equals("warn")) {
      return WARNING;
    }
    throw new IllegalArgumentException(
        "unknown severity '" + text + "'; use info, warning, error or critical");
  }
}
