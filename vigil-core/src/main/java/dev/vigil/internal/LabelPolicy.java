package dev.vigil.internal;

import dev.vigil.LabelRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns raw label values into the values stored: null and blank become {@value #UNKNOWN}, control
 * characters are removed, lone surrogates become U+FFFD, surrounding whitespace is trimmed,
 * configured {@link LabelRule}s run, the reserved {@value Family#OVERFLOW_VALUE} is renamed, and
 * over-long values are truncated. A value more than four times the longest kept is cut before any
 * of that, so the work per value is bounded. Runs only when a raw label set is first seen.
 *
 * <p>Distinct stored values are distinct in every exposition format (UTF-8 of well-formed text is
 * injective, and the formats escape injectively), so two series never share a label set.
 */
public final class LabelPolicy {
  public static final String UNKNOWN = "unknown";

  /** What a caller's own {@value Family#OVERFLOW_VALUE} becomes, so it never meets the real one. */
  static final String RENAMED_OVERFLOW = "_overflow_";

  private final int maxLength;
  private final int maxRawLength;
  private final Map<String, LabelRule> rules;

  public LabelPolicy(int maxLength, Map<String, LabelRule> rules) {
    this.maxLength = maxLength;
    this.maxRawLength = maxLength * 4;
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
    int rawLength = raw.length();
    // Cut first: everything below scans or copies the value, and a caller may pass megabytes.
    boolean cut = rawLength > maxRawLength;
    if (cut) {
      value = truncate(value, maxRawLength);
    }
    if (hasControlCharacters(value)) {
      value = removeControlCharacters(value);
      result.problem(
          InvalidReason.CONTROL_CHARACTERS,
          "label \"" + labelName + "\" contains control characters, which were removed");
    }
    if (hasLoneSurrogate(value)) {
      // Exposition encodes text as UTF-8, where every lone surrogate becomes the same '?': two
      // different raw values would be two series with the same labels. U+FFFD is what they are.
      value = replaceLoneSurrogates(value);
      result.problem(
          InvalidReason.INVALID_UNICODE,
          "label \""
              + labelName
              + "\" contains lone UTF-16 surrogates (malformed text), replaced by U+FFFD");
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
    if (Family.OVERFLOW_VALUE.equals(value)) {
      result.problem(
          InvalidReason.RESERVED_VALUE,
          "label \""
              + labelName
              + "\" is \""
              + Family.OVERFLOW_VALUE
              + "\", the value Vigil keeps for label sets past the cap, recorded as \""
              + RENAMED_OVERFLOW
              + "\"");
      value = RENAMED_OVERFLOW;
    }
    if (cut || value.length() > maxLength) {
      result.problem(
          InvalidReason.TOO_LONG,
          "label \""
              + labelName
              + "\" is "
              + (cut ? rawLength : value.length())
              + " characters long, truncated to "
              + maxLength);
      if (value.length() > maxLength) {
        value = truncate(value, maxLength);
      }
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
      case INVALID_UNICODE:
        return "Label values must be well-formed text; check how the value was decoded or cut.";
      case RESERVED_VALUE:
        return "Use another value: \"" + Family.OVERFLOW_VALUE + "\" marks the overflow series.";
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

  static boolean hasLoneSurrogate(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < value.length()
            && Character.isLowSurrogate(value.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code value} with each lone surrogate replaced by U+FFFD, pairs kept. */
  static String replaceLoneSurrogates(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        out.append(c).append(value.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
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
