package dev.vigil.internal;

/**
 * Why an input was dropped or normalised: the {@code reason} label of {@code
 * vigil_invalid_inputs_total}. Each reason says what Vigil did, so the log line and the README
 * table agree.
 */
public enum InvalidReason {
  NULL_VALUE("null_value", "recorded as \"unknown\""),
  BLANK_VALUE("blank_value", "recorded as \"unknown\""),
  TOO_LONG("too_long", "truncated"),
  CONTROL_CHARACTERS("control_characters", "control characters removed"),
  NEGATIVE_VALUE("negative_value", "event dropped"),
  ZERO_VALUE("zero_value", "event dropped"),
  NON_FINITE_VALUE("non_finite_value", "event dropped"),
  WRONG_TYPE("wrong_type", "event dropped"),
  UNKNOWN_KPI_TYPE("unknown_kpi_type", "event dropped"),
  NULL_EVENT("null_event", "event dropped"),
  WRONG_LABEL_COUNT("wrong_label_count", "event dropped"),
  UNKNOWN_CURRENCY("unknown_currency", "revenue not counted"),
  OUT_OF_RANGE("out_of_range", "event dropped"),
  TOO_PRECISE("too_precise", "rounded to the currency's minor unit"),
  INVALID_UNICODE("invalid_unicode", "lone UTF-16 surrogates replaced by U+FFFD"),
  RESERVED_VALUE("reserved_value", "renamed"),
  UNREADABLE_VALUE("unreadable_value", "event dropped"),
  SATURATED("saturated", "the counter stays at its largest value"),
  PART_EXCEEDS_TOTAL("part_exceeds_total", "capped at the total it is part of"),
  UNKNOWN_FIELD("unknown_field", "not counted");

  private final String label;
  private final String action;

  InvalidReason(String label, String action) {
    this.label = label;
    this.action = action;
  }

  /** The value of the {@code reason} label. */
  public String label() {
    return label;
  }

  /** What Vigil did with the input, for the log line. */
  public String action() {
    return action;
  }
}
