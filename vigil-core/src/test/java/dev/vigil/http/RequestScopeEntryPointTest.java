package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Guards the allocation-free request scope: the work of a request's beginning and end ({@link
 * HttpInstrumentation#open} and {@link HttpInstrumentation#finish}) must stay larger than HotSpot's
 * {@code FreqInlineSize} (325 bytes of bytecode), so that C2 keeps it out of line, and the scope's
 * own methods small, so that C2 inlines them into the adapter and drops the scope's allocation (see
 * {@link RequestScope}). Either change would bring back 80 bytes per request, which only a
 * benchmark would otherwise notice.
 */
class RequestScopeEntryPointTest {
  private static final int FREQ_INLINE_SIZE = 325;
  private static final int MAX_INLINE_SIZE = 35;

  @Test
  void theWorkIsTooLargeForTheJitToInline() {
    String javap = javap(HttpInstrumentation.class);
    assertThat(bytecodeSize(javap, " open(")).isGreaterThan(FREQ_INLINE_SIZE);
    assertThat(bytecodeSize(javap, " finish(")).isGreaterThan(FREQ_INLINE_SIZE);
  }

  @Test
  void beginIsTiny() {
    assertThat(bytecodeSize(javap(HttpInstrumentation.class), " begin("))
        .isLessThanOrEqualTo(MAX_INLINE_SIZE);
  }

  @Test
  void theScopeMethodsStaySmall() {
    String javap = javap(RequestScope.class);
    // Called on every request (prefixRoute too, with a null mapping when there is none): inlined
    // when hot, up to FreqInlineSize.
    for (String method :
        new String[] {
          "RequestScope(dev.vigil.http.HttpInstrumentation, R, dev",
          " end(",
          " endUnlessAsync(",
          " prefixRoute("
        }) {
      assertThat(bytecodeSize(javap, method)).as(method).isLessThanOrEqualTo(FREQ_INLINE_SIZE);
    }
    // Also called where the JIT may find the call cold: inlined then only up to MaxInlineSize.
    for (String method :
        new String[] {" measured(", " requestId(", " status(", " route(", " failed(", " detach("}) {
      assertThat(bytecodeSize(javap, method)).as(method).isLessThanOrEqualTo(MAX_INLINE_SIZE);
    }
  }

  private static int bytecodeSize(String javap, String signaturePart) {
    for (String block : javap.split("\n\n")) {
      String signature = block.strip().split("\n", 2)[0];
      if (signature.contains(signaturePart) && block.contains("Code:")) {
        int exceptionTable = block.indexOf("Exception table");
        return lastOffset(exceptionTable < 0 ? block : block.substring(0, exceptionTable));
      }
    }
    throw new AssertionError("no method " + signaturePart + " in javap output");
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
