package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.Bytecode;
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
    Bytecode code = Bytecode.of(HttpInstrumentation.class);
    assertThat(code.size(" open(")).isGreaterThan(FREQ_INLINE_SIZE);
    assertThat(code.size(" finish(")).isGreaterThan(FREQ_INLINE_SIZE);
  }

  @Test
  void beginIsTiny() {
    assertThat(Bytecode.of(HttpInstrumentation.class).size(" begin("))
        .isLessThanOrEqualTo(MAX_INLINE_SIZE);
  }

  @Test
  void theScopeMethodsStaySmall() {
    Bytecode code = Bytecode.of(RequestScope.class);
    // Called on every request (prefixRoute too, with a null mapping when there is none): inlined
    // when hot, up to FreqInlineSize.
    for (String method :
        new String[] {
          "RequestScope(dev.vigil.http.HttpInstrumentation, R, dev",
          " end(",
          " endUnlessAsync(",
          " prefixRoute("
        }) {
      assertThat(code.size(method)).as(method).isLessThanOrEqualTo(FREQ_INLINE_SIZE);
    }
    // Also called where the JIT may find the call cold: inlined then only up to MaxInlineSize.
    for (String method :
        new String[] {" measured(", " requestId(", " status(", " route(", " failed(", " detach("}) {
      assertThat(code.size(method)).as(method).isLessThanOrEqualTo(MAX_INLINE_SIZE);
    }
  }
}
