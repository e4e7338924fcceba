package dev.vigil.benchmarks;

import dev.vigil.Monitoring;
import dev.vigil.http.HttpInstrumentation;
import dev.vigil.servlet.VigilServletFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The filter's cost under real HTTP load: the same Jetty 12 hello-world served three times on
 * 127.0.0.1 — bare, behind a filter that only calls the chain, and behind {@link
 * VigilServletFilter} — each driven by {@code wrk} (Debian's package) in rotating rounds, so drift
 * on the machine hits all alike. The pass-through filter separates what mapping any filter costs in
 * Jetty from what Vigil's filter does.
 *
 * <ul>
 *   <li>Throughput: {@code wrk -t2 -c16}, requests per second; the target is at least 97% of the
 *       bare server's.
 *   <li>Latency: {@code wrk -t1 -c1}, one request at a time, so the median is the service time of
 *       one request; the difference of the medians is what the filter adds (target at most 2 µs).
 * </ul>
 *
 * <pre>
 * mvn -B -q package -pl vigil-benchmarks -am -DskipTests
 * java -cp vigil-benchmarks/target/benchmarks.jar dev.vigil.benchmarks.HttpFilterLoadTest \
 *     --duration 30 --rounds 3 --path /hello
 * </pre>
 *
 * <p>{@code --path /api/users/123} measures the normaliser path (a servlet mapped at {@code
 * /api/*}, no template). Every wrk run is bounded by {@code --duration}; the servers stop at the
 * end.
 */
public final class HttpFilterLoadTest {
  private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern MEDIAN = Pattern.compile("\\s50%\\s+([0-9.]+)(us|ms|s)");
  private static final Pattern REQUESTS = Pattern.compile("([0-9]+) requests in");
  private static final Pattern SERVER_CPU = Pattern.compile("Server CPU ns: ([0-9]+)");
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final byte[] HELLO = "hello, world\n".getBytes(StandardCharsets.US_ASCII);

  private HttpFilterLoadTest() {}

  public static void main(String[] args) throws Exception {
    int duration = 30;
    int rounds = 3;
    String path = "/hello";
    String wrk = "/usr/bin/wrk";
    boolean echo = true;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--duration":
          duration = Integer.parseInt(args[i + 1]);
          break;
        case "--rounds":
          rounds = Integer.parseInt(args[i + 1]);
          break;
        case "--path":
          path = args[i + 1];
          break;
        case "--wrk":
          wrk = args[i + 1];
          break;
        case "--echo-request-id":
          echo = Boolean.parseBoolean(args[i + 1]);
          break;
        default:
          throw new IllegalArgumentException(
              "unknown option "
                  + args[i]
                  + "; use --duration S --rounds N --path P --wrk BIN --echo-request-id B");
      }
    }
    try (Monitoring monitoring =
        Monitoring.builder("bench").metricsEnabled(false).jvmMetrics(false).build()) {
      // Three servers: bare; behind a filter that only calls the chain (what any filter costs in
      // Jetty: the filter chain is built per request once a filter is mapped); behind Vigil's.
      String[] names = {"bare", "pass-through filter", "VigilServletFilter"};
      Server[] servers = {
        hello(null),
        hello((request, response, chain) -> chain.doFilter(request, response)),
        hello(
            VigilServletFilter.create(
                HttpInstrumentation.builder(monitoring).echoRequestId(echo).build()))
      };
      try {
        String[] urls = new String[servers.length];
        for (int k = 0; k < servers.length; k++) {
          urls[k] = url(servers[k], path);
          System.out.printf(Locale.ROOT, "%s %s%n", names[k], urls[k]);
        }
        int warmup = Math.max(2, duration / 3);
        for (String url : urls) {
          run(wrk, 2, 16, warmup, url);
        }
        List<double[]> throughput = new ArrayList<>();
        List<double[]> latency = new ArrayList<>();
        List<double[]> cpu = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          // Each round starts with a different server, so drift on the machine hits all alike.
          double[] t = new double[servers.length];
          double[] l = new double[servers.length];
          double[] c = new double[servers.length];
          for (int i = 0; i < servers.length; i++) {
            int k = (round + i) % servers.length;
            String out = run(wrk, 2, 16, duration, urls[k]);
            t[k] = parse(REQUESTS_PER_SECOND, out, urls[k]);
            c[k] = parse(SERVER_CPU, out, urls[k]) / 1000 / parse(REQUESTS, out, urls[k]);
          }
          for (int i = 0; i < servers.length; i++) {
            int k = (round + i) % servers.length;
            l[k] = medianMicros(run(wrk, 1, 1, duration, urls[k]), urls[k]);
          }
          throughput.add(t);
          latency.add(l);
          cpu.add(c);
          System.out.printf(
              Locale.ROOT,
              "round %d: %.0f / %.0f / %.0f req/s (Vigil %.1f%% of bare), median %.2f / %.2f /"
                  + " %.2f us (Vigil %+.2f us), server CPU %.2f / %.2f / %.2f us per request%n",
              round + 1,
              t[0],
              t[1],
              t[2],
              100 * t[2] / t[0],
              l[0],
              l[1],
              l[2],
              l[2] - l[0],
              c[0],
              c[1],
              c[2]);
        }
        double[] rps = new double[servers.length];
        double[] median = new double[servers.length];
        double[] cpuPerRequest = new double[servers.length];
        for (int k = 0; k < servers.length; k++) {
          rps[k] = median(throughput, k);
          median[k] = median(latency, k);
          cpuPerRequest[k] = median(cpu, k);
        }
        System.out.printf(
            Locale.ROOT,
            "%n| %s, median of %d rounds | bare | pass-through filter | VigilServletFilter |"
                + " Vigil against bare | Vigil against pass-through |%n|---|---|---|---|---|---|%n"
                + "| throughput, wrk -t2 -c16 -d%ds (req/s) | %.0f | %.0f | %.0f | %.1f%% |"
                + " %.1f%% |%n"
                + "| median latency, wrk -t1 -c1 -d%ds (us) | %.2f | %.2f | %.2f | %+.2f us |"
                + " %+.2f us |%n"
                + "| server CPU per request under -t2 -c16 (us) | %.2f | %.2f | %.2f | %+.2f us |"
                + " %+.2f us |%n",
            path,
            rounds,
            duration,
            rps[0],
            rps[1],
            rps[2],
            100 * rps[2] / rps[0],
            100 * rps[2] / rps[1],
            duration,
            median[0],
            median[1],
            median[2],
            median[2] - median[0],
            median[2] - median[1],
            cpuPerRequest[0],
            cpuPerRequest[1],
            cpuPerRequest[2],
            cpuPerRequest[2] - cpuPerRequest[0],
            cpuPerRequest[2] - cpuPerRequest[1]);
        // The same comparison paired by round (each round's servers ran back to back, under the
        // same conditions), which cancels drift between rounds.
        List<double[]> paired = new ArrayList<>();
        for (int r = 0; r < throughput.size(); r++) {
          paired.add(
              new double[] {
                100 * throughput.get(r)[2] / throughput.get(r)[0],
                latency.get(r)[2] - latency.get(r)[0],
                cpu.get(r)[2] - cpu.get(r)[0]
              });
        }
        System.out.printf(
            Locale.ROOT,
            "%nPaired by round, Vigil against bare, median of %d rounds: throughput %.1f%%,"
                + " median latency %+.2f us, server CPU %+.2f us per request%n",
            rounds,
            median(paired, 0),
            median(paired, 1),
            median(paired, 2));
      } finally {
        for (Server server : servers) {
          server.stop();
        }
      }
    }
  }

  /** The hello-world, optionally behind the filter: one servlet at /hello and at /api/*. */
  static Server hello(Filter filter) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder hello = new ServletHolder(new Hello());
    context.addServlet(hello, "/hello");
    context.addServlet(hello, "/api/*");
    if (filter != null) {
      // Registered as the README says: async-supported, or Jetty marks every request through the
      // filter as not async-capable (and back) and async servlets fail behind it.
      FilterHolder holder = new FilterHolder(filter);
      holder.setAsyncSupported(true);
      context.addFilter(holder, "/*", VigilServletFilter.dispatcherTypes());
    }
    server.setHandler(context);
    server.start();
    return server;
  }

  private static String url(Server server, String path) {
    return "http://127.0.0.1:"
        + ((ServerConnector) server.getConnectors()[0]).getLocalPort()
        + path;
  }

  private static String run(String wrk, int threads, int connections, int seconds, String url)
      throws IOException, InterruptedException {
    List<String> command =
        List.of(wrk, "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency", url);
    long cpuBefore = OS.getProcessCpuTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    long cpuNanos = OS.getProcessCpuTime() - cpuBefore;
    if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish");
    }
    if (process.exitValue() != 0 || out.contains("Non-2xx")) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
    }
    // The servers' JVM does nothing else while wrk runs: its CPU time over the run, divided by
    // the requests, is what one request costs the server, steadier than the throughput.
    return out + "\nServer CPU ns: " + cpuNanos + "\n";
  }

  private static double parse(Pattern pattern, String out, String url) {
    Matcher m = pattern.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("cannot read wrk's output for " + url + ":\n" + out);
    }
    return Double.parseDouble(m.group(1));
  }

  private static double medianMicros(String out, String url) {
    Matcher m = MEDIAN.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("cannot read wrk's latency for " + url + ":\n" + out);
    }
    double value = Double.parseDouble(m.group(1));
    switch (m.group(2)) {
      case "ms":
        return value * 1000;
      case "s":
        return value * 1_000_000;
      default:
        return value;
    }
  }

  /**
   * The median over the rounds: on a shared or virtual machine one round in several is disturbed by
   * something else, and the median ignores it where the mean would not.
   */
  private static double median(List<double[]> rows, int column) {
    double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    int n = values.length;
    return n == 0
        ? Double.NaN
        : n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  private static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      response.setContentType("text/plain");
      response.setContentLength(HELLO.length);
      response.getOutputStream().write(HELLO);
    }
  }
}
