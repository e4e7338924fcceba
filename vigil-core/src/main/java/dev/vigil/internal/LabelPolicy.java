package dev.vigil.internal;

import dev.vigil.LabelRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns raw label values into the values stored: null and blank become {@value #UNKNOWN}, control
 * characters are removed, surrounding whitespace is trimmed, configured {@link LabelRule}s run, and
 * over-long values are truncated. Runs only when a raw label set is first seen.
 */
public final class LabelPolicy {
  public static final String UNKNOWN = "unknown";

  private final int maxLength;
  private final Map<String, LabelRule> rules;

  public LabelPolicy(int maxLength, Map<String, LabelRule> rules) {
    this.maxLength = maxLength;
    this.rules = Map.copyOf(rules);
  }

  public int maxLength() {
    return maxLength;
  }

  /** The stored values, and what had to be fixed to get them. */
  static final class Canonical {
    final String[] values;
    final List<InvalidReason> reasons = new ArrayList<>(1);
    private @Nullable StringBuilder detail;

    Canonical(int size) {
      this.values = new String[size];
    }

    void problem(InvalidReason reason, String text) {
      if (!reasons.contains(reason)) {
        reasons.add(reason);
      }
      if (detail == null) {
        detail = new StringBuilder();
      } else {
        detail.append("; ");
      }
      detail.append(text);
    }

    boolean clean() {
      return reasons.isEmpty();
    }

    String message(String metric) {
      return metric + ": " + detail + ". " + fix(reasons.get(0));
    }
  }

  Canonical canonicalize(String[] labelNames, @Nullable String[] raw) {
    Canonical result = new Canonical(raw.length);
    for (int i = 0; i < raw.length; i++) {
      result.values[i] = canonicalize(labelNames[i], raw[i], result);
    }
    return result;
  }

  private String canonicalize(String labelName, @Nullable String raw, Canonical result) {
    if (raw == null) {
      result.problem(
          InvalidReason.NULL_VALUE, "label \"" + labelName + "\" is null, recorded as \"unknown\"");
      return UNKNOWN;
    }
    String value = raw;
    if (hasControlCharacters(value)) {
      value = removeControlCharacters(value);
      result.problem(
          InvalidReason.CONTROL_CHARACTERS,
          "label \"" + labelName + "\" contains control characters, which were removed");
    }
    value = value.strip();
    if (value.isEmpty()) {
      result.problem(
          InvalidReason.BLANK_VALUE,
          "label \"" + labelName + "\" is blank, recorded as \"unknown\"");
      return UNKNOWN;
    }
    LabelRule rule = rules.get(labelName);
    if (rule != null) {
      value = rule.apply(value);
    }
    if (value.length() > maxLength) {
      result.problem(
          InvalidReason.TOO_LONG,
          "label \""
              + labelName
              + "\" is "
              + value.length()
              + " characters long, truncated to "
              + maxLength);
      value = truncate(value, maxLength);
    }
    return value;
  }

  static String fix(InvalidReason reason) {
    switch (reason) {
      case NULL_VALUE:
      case BLANK_VALUE:
        return "Pass a non-blank value from a small fixed set, such as \"image\" or \"card\".";
      case CONTROL_CHARACTERS:
        return "Label values must not contain newlines, tabs or other control characters.";
      case TOO_LONG:
        return "Label values must come from a small fixed set; put ids and free text in logs,"
            + " not in labels.";
      default:
        return "See the bad-input table in the README.";
    }
  }

  static boolean hasControlCharacters(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static String removeControlCharacters(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!Character.isISOControl(c)) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Truncates without splitting a surrogate pair. */
  static String truncate(String value, int maxLength) {
    int end = maxLength;
    if (Character.isHighSurrogate(value.charAt(end - 1))) {
      end--;
    }
    return value.substring(0, end);
  }
}
