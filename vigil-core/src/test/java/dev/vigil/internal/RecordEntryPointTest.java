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
 * only a benchmark would otherwise notice.
 */
class RecordEntryPointTest {
  private static final int FREQ_INLINE_SIZE = 325;

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
}
