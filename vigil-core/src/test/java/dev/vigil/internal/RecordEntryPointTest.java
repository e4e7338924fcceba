package dev.vigil.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
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
    int size = bytecodeSize(KpiDispatch.class, "public void record(");
    assertThat(size).isGreaterThan(FREQ_INLINE_SIZE);
  }

  @Test
  void usageIsTooLargeForTheJitToInline() throws Exception {
    // The provider usage overloads (Kpi.openAiChatUsage and friends) rely on it the same way.
    int size = bytecodeSize(KpiDispatch.class, "public void usage(");
    assertThat(size).isGreaterThan(FREQ_INLINE_SIZE);
  }

  @Test
  void typedTrackKpiOverloadsStayTiny() throws Exception {
    // C2 inlines methods up to 35 bytes even when cold; the overloads must stay near that.
    String javap = javap(dev.vigil.Monitoring.class);
    Matcher m =
        Pattern.compile(
                "public void trackKpi\\(dev\\.vigil\\.Kpi\\$\\w+\\);\\n\\s+Code:\\n([\\s\\S]*?)\\n\\n")
            .matcher(javap);
    int overloads = 0;
    while (m.find()) {
      overloads++;
      assertThat(lastOffset(m.group(1))).as(m.group()).isLessThan(64);
    }
    assertThat(overloads).isEqualTo(11); // the six KPI types and the five usage shapes
  }

  private static int bytecodeSize(Class<?> type, String signaturePrefix) {
    String javap = javap(type);
    int start = javap.indexOf(signaturePrefix);
    assertThat(start).as("method %s in javap output", signaturePrefix).isNotNegative();
    int end = javap.indexOf("\n\n", start);
    String body = javap.substring(start, end < 0 ? javap.length() : end);
    int exceptionTable = body.indexOf("Exception table");
    return lastOffset(exceptionTable < 0 ? body : body.substring(0, exceptionTable));
  }

  private static int lastOffset(String code) {
    Matcher m = Pattern.compile("\\n\\s+(\\d+): \\w+").matcher(code);
    int last = -1;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last + 1;
  }

  private static String javap(Class<?> type) {
    ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
    Path classes = Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath());
    StringWriter out = new StringWriter();
    int rc =
        javap.run(
            new PrintWriter(out),
            new PrintWriter(out),
            "-c",
            "-p",
            "-cp",
            classes.toString(),
            type.getName());
    assertThat(rc).as(out.toString()).isZero();
    return out.toString();
  }
}
