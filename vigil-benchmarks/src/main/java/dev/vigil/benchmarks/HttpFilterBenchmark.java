package dev.vigil.benchmarks;

import dev.vigil.Monitoring;
import dev.vigil.http.HttpInstrumentation;
import dev.vigil.servlet.VigilServletFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
}
