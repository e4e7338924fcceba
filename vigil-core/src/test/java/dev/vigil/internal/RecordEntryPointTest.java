package dev.vigil.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Bytecode;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Guards the allocation-free {@code trackKpi}: {@link KpiDispatch#record} must stay larger than
 * HotSpot's {@code FreqInlineSize} (325 bytes of bytecode) so the JIT keeps it out of line and
 * inlines the tiny {@code trackKpi} overloads into callers instead (see the Javadoc of {@code
 * record}). Shrinking it below the limit would bring back a 32-byte allocation per event, which
 * only a benchmark would otherwise notice. The AI cost listener's common path must instead stay
 * small enough to be inlined into {@code record}.
 */
class RecordEntryPointTest {
  private static final int FREQ_INLINE_SIZE = 325;
  private static final int MAX_INLINE_SIZE = 35;

  @Test
  void recordIsTooLargeForTheJitToInline() throws Exception {
    int size = Bytecode.of(KpiDispatch.class).size("public void record(");
    assertThat(size).isGreaterThan(FREQ_INLINE_SIZE);
  }

  @Test
  void usageIsTooLargeForTheJitToInline() throws Exception {
    // The provider usage overloads (Kpi.openAiChatUsage and friends) rely on it the same way.
    int size = Bytecode.of(KpiDispatch.class).size("public void usage(");
    assertThat(size).isGreaterThan(FREQ_INLINE_SIZE);
  }

  @Test
  void tokenSpendPricingInlinesIntoRecord() throws Exception {
    // The AI cost listener runs on every token spend. C2 inlines it into record only if each
    // method on its common path is at most FreqInlineSize: AiCost.charge at 420 bytes was called
    // out of line, about 0.7 ns per trackKpi(Kpi.tokenSpend(..)) (BENCHMARKS.md, "The hot path
    // since 30 November"). The rare cases are in chargeEvent, which may be any size.
    Bytecode aiCost = Bytecode.of(AiCost.class);
    assertThat(aiCost.size("public void tokenSpend(")).isLessThanOrEqualTo(FREQ_INLINE_SIZE);
    assertThat(aiCost.size("private long charge(")).isLessThanOrEqualTo(FREQ_INLINE_SIZE);
  }

  @Test
  void typedTrackKpiOverloadsStayTiny() throws Exception {
    // C2 inlines methods up to 35 bytes even when cold; the overloads must stay near that.
    List<Bytecode.Method> overloads =
        Bytecode.of(dev.vigil.Monitoring.class)
            .matching(Pattern.compile("public void trackKpi\\(dev\\.vigil\\.Kpi\\$\\w+\\);"));
    for (Bytecode.Method overload : overloads) {
      assertThat(overload.size()).as(overload.signature()).isLessThan(64);
    }
    assertThat(overloads).hasSize(11); // the six KPI types and the five usage shapes
  }

  @Test
  void theSixKpiTypesInlineEvenAtColdCallSites() throws Exception {
    // Up to MaxInlineSize (35 bytes) C2 inlines a call however rarely it runs, so the Kpi the
    // caller builds is scalar-replaced wherever trackKpi is called; a Monitoring.disabled(..) is
    // therefore told apart in KpiDispatch, not by a field test in each overload.
    List<Bytecode.Method> overloads =
        Bytecode.of(dev.vigil.Monitoring.class)
            .matching(
                Pattern.compile(
                    "public void trackKpi\\(dev\\.vigil\\.Kpi\\$(TokenSpend|ActiveUser"
                        + "|GenerationSuccess|GenerationFailure|PaymentConversion|PaymentFailure)\\);"));
    assertThat(overloads).hasSize(6);
    for (Bytecode.Method overload : overloads) {
      assertThat(overload.size()).as(overload.signature()).isLessThanOrEqualTo(MAX_INLINE_SIZE);
    }
  }
}
