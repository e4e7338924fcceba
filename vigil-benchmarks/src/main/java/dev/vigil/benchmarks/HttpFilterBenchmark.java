package dev.vigil.benchmarks;

import dev.vigil.Monitoring;
import dev.vigil.http.HttpInstrumentation;
import dev.vigil.servlet.VigilServletFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link VigilServletFilter} adds to one request, without a container: {@code doFilter} on a
 * minimal request and response (plain objects with fields, not mocks) with a chain that only sets
 * the status, against calling that chain directly ({@link #baseline}). The added cost per request
 * is {@code filter* - baseline}; run with {@code -prof gc} for the allocation per request.
 *
 * <ul>
 *   <li>{@link #filterWithKnownTemplate}: the route template is on the request, as an application
 *       or framework sets it ({@link HttpInstrumentation#ROUTE_ATTRIBUTE}; Spring MVC's pattern
 *       attribute is read only where Spring MVC is on the class path, and this module has none); a
 *       new request id is generated (no {@code X-Request-Id}).
 *   <li>{@link #filterWithIncomingRequestId}: the same with an incoming {@code X-Request-Id}.
 *   <li>{@link #filterWithNormalizedPath}: no template, so {@code /api/users/123} goes through the
 *       route normaliser and its template cache.
 *   <li>{@code mixedTraffic*}: the first two as a container runs them: the application is a call
 *       the JIT does not inline (as a container's filter chain is), and before each iteration the
 *       filter also serves one request of each rare kind: an ignored path, an exception, a 503, a
 *       404 and an asynchronous request completed afterwards. The JIT then compiles those paths too
 *       (after a few deoptimisations) instead of pruning them, as it does in a service that has run
 *       a while; what a request allocates there is what it allocates in production.
 * </ul>
 *
 * <p>Logging goes to Logback at WARN (this module's {@code logback.xml}), so the MDC is Logback's,
 * as in production, and the per-request DEBUG line is disabled, as in production.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HttpFilterBenchmark {
  Monitoring monitoring;
  VigilServletFilter filter;
  FilterChain chain;
  BenchRequest templated;
  BenchRequest withRequestId;
  BenchRequest raw;
  BenchResponse response;

  @Setup
  public void setUp() {
    monitoring = Monitoring.builder("bench").metricsEnabled(false).jvmMetrics(false).build();
    filter = VigilServletFilter.create(monitoring);
    chain = (request, response) -> ((HttpServletResponse) response).setStatus(200);
    templated = new BenchRequest("GET", "/api/users/123", "/*");
    templated.setAttribute(HttpInstrumentation.ROUTE_ATTRIBUTE, "/api/users/{id}");
    withRequestId =
        new BenchRequest("GET", "/api/users/123", "/*").header("X-Request-Id", "0af7651916cd43dd");
    withRequestId.setAttribute(HttpInstrumentation.ROUTE_ATTRIBUTE, "/api/users/{id}");
    raw = new BenchRequest("GET", "/api/users/123", "/*");
    response = new BenchResponse();
  }

  @TearDown
  public void tearDown() {
    monitoring.close();
  }

  @Benchmark
  public void baseline() throws IOException, ServletException {
    chain.doFilter(templated, response);
  }

  @Benchmark
  public void filterWithKnownTemplate() throws IOException, ServletException {
    filter.doFilter(templated, response, chain);
  }

  @Benchmark
  public void filterWithIncomingRequestId() throws IOException, ServletException {
    filter.doFilter(withRequestId, response, chain);
  }

  @Benchmark
  public void filterWithNormalizedPath() throws IOException, ServletException {
    filter.doFilter(raw, response, chain);
  }

  @Benchmark
  public void mixedTrafficBaseline(MixedTraffic traffic) throws IOException, ServletException {
    traffic.application.doFilter(traffic.templated, traffic.response);
  }

  @Benchmark
  public void mixedTrafficKnownTemplate(MixedTraffic traffic) throws IOException, ServletException {
    traffic.filter.doFilter(traffic.templated, traffic.response, traffic.application);
  }

  @Benchmark
  public void mixedTrafficIncomingRequestId(MixedTraffic traffic)
      throws IOException, ServletException {
    traffic.filter.doFilter(traffic.withRequestId, traffic.response, traffic.application);
  }

  /** A filter that has also seen the rare requests, in front of an application it cannot inline. */
  @State(Scope.Thread)
  public static class MixedTraffic {
    Monitoring monitoring;
    VigilServletFilter filter;
    Application application;
    BenchRequest templated;
    BenchRequest withRequestId;
    BenchResponse response;

    @Setup
    public void setUp() {
      monitoring = Monitoring.builder("bench").metricsEnabled(false).jvmMetrics(false).build();
      filter = VigilServletFilter.create(monitoring);
      application = new Application();
      templated = new BenchRequest("GET", "/api/users/123", "/*");
      templated.setAttribute(HttpInstrumentation.ROUTE_ATTRIBUTE, "/api/users/{id}");
      withRequestId =
          new BenchRequest("GET", "/api/users/123", "/*")
              .header("X-Request-Id", "0af7651916cd43dd");
      withRequestId.setAttribute(HttpInstrumentation.ROUTE_ATTRIBUTE, "/api/users/{id}");
      response = new BenchResponse();
    }

    /** One request of each rare kind, so that the JIT compiles their paths as well. */
    @Setup(Level.Iteration)
    public void rareRequests() throws IOException, ServletException {
      serve(new BenchRequest("GET", "/health", "/*"));
      serve(routed(Application.FAIL));
      serve(routed(Application.UNAVAILABLE));
      serve(new BenchRequest("GET", "/nothing/here", "/").attribute(Application.NOT_FOUND, true));
      BenchRequest async = routed(Application.ASYNC);
      serve(async);
      async.getAsyncContext().complete();
    }

    private static BenchRequest routed(String behaviour) {
      return new BenchRequest("POST", "/api/orders/7", "/*")
          .attribute(HttpInstrumentation.ROUTE_ATTRIBUTE, "/api/orders/{id}")
          .attribute(behaviour, true);
    }

    private void serve(BenchRequest request) throws IOException, ServletException {
      filter.doFilter(request, new BenchResponse(), application);
    }

    @TearDown
    public void tearDown() {
      monitoring.close();
    }
  }

  /**
   * The application behind the filter: answers 200 unless the request asks for one of the rare
   * behaviours. Never inlined, as a container's filter chain and servlet are not.
   */
  static final class Application implements FilterChain {
    static final String FAIL = "bench.fail";
    static final String UNAVAILABLE = "bench.unavailable";
    static final String NOT_FOUND = "bench.notFound";
    static final String ASYNC = "bench.async";

    @Override
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    public void doFilter(ServletRequest request, ServletResponse response) {
      HttpServletResponse http = (HttpServletResponse) response;
      if (request.getAttribute(FAIL) != null) {
        throw new IllegalStateException("the application failed (a benchmark's rare request)");
      } else if (request.getAttribute(UNAVAILABLE) != null) {
        http.setStatus(503);
      } else if (request.getAttribute(NOT_FOUND) != null) {
        http.setStatus(404);
      } else if (request.getAttribute(ASYNC) != null) {
        request.startAsync(request, response);
      } else {
        http.setStatus(200);
      }
    }
  }
}
