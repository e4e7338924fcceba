package dev.vigil.spi;

/**
 * Sees each KPI event after Vigil has counted it, with the label values of the series it was
 * counted in: for an extension that derives something of its own from the events, such as a
 * histogram of tokens per request for OpenTelemetry's GenAI conventions. Register one with {@link
 * ExtensionContext#addKpiObserver}.
 *
 * <pre>{@code
 * context.addKpiObserver(new KpiObserver() {
 *   @Override
 *   public void tokenSpend(long tokens, String model, String type) {
 *     perRequest(model, type).record(tokens);       // precomputed per (model, type), no allocation
 *   }
 * });
 * }</pre>
 *
 * <p>The values passed are the ones stored in the series, never the raw strings the caller gave:
 * normalised by the label rules, truncated, and folded into {@code __overflow__} once the metric
 * reached its label-set cap. So whatever an observer keys on them stays as bounded as Vigil's own
 * metrics. Events Vigil dropped as bad input never reach an observer.
 *
 * <p>Observers run on the thread that tracked the event, inside {@code trackKpi}: they must be
 * cheap (no I/O, no lock, no allocation for values seen before) and must not throw. One that throws
 * is logged, rate-limited, and the call still returns normally. Every method has an empty default,
 * so an observer overrides only the events it needs and keeps compiling when events are added here.
 */
public interface KpiObserver {

  /**
   * Tokens counted in {@code token_spend_total{model,type}}.
   *
   * @param tokens the positive number of tokens of this event
   * @param model the series' {@code model} label value
   * @param type the series' {@code type} label value ({@code input}, {@code output}, {@code
   *     completion}, {@code cache_read}, ... as tracked)
   */
  default void tokenSpend(long tokens, String model, String type) {}

  /**
   * The tokens of one provider usage event ({@code Kpi.openAiChatUsage(..)} and friends), by the
   * kind each was counted as in {@code token_spend_total{model,type}}: every token in exactly one
   * kind, 0 for a kind the event has none of. All input is {@code input + cacheRead + cacheWrite +
   * cacheWrite1h}; all output is {@code output + reasoning}. By default each kind with tokens is
   * passed on to {@link #tokenSpend} with its {@code type} ({@code input}, {@code cache_read},
   * {@code cache_write}, {@code cache_write_1h}, {@code output}, {@code reasoning}); override this
   * to see the request whole, such as for a histogram of tokens per request.
   *
   * @param model the series' {@code model} label value
   */
  default void tokenUsage(
      String model,
      long input,
      long cacheRead,
      long cacheWrite,
      long cacheWrite1h,
      long output,
      long reasoning) {
    if (input > 0) {
      tokenSpend(input, model, "input");
    }
    if (cacheRead > 0) {
      tokenSpend(cacheRead, model, "cache_read");
    }
    if (cacheWrite > 0) {
      tokenSpend(cacheWrite, model, "cache_write");
    }
    if (cacheWrite1h > 0) {
      tokenSpend(cacheWrite1h, model, "cache_write_1h");
    }
    if (output > 0) {
      tokenSpend(output, model, "output");
    }
    if (reasoning > 0) {
      tokenSpend(reasoning, model, "reasoning");
    }
  }
}
