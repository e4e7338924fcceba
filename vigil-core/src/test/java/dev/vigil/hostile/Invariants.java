package dev.vigil.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Monitoring;
import dev.vigil.alert.Alert;
import dev.vigil.alert.Severity;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.Promtool;
import dev.vigil.testkit.Scrape;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;

/**
 * What must hold after every batch of hostile calls, checked from outside as an operator would:
 * {@code /metrics} answers 200 in text and protobuf, parses with no duplicate series, and promtool
 * accepts it (the one lint allowed is the specification's {@code active_jobs_total} gauge name);
 * {@code /kpi} answers 200 with valid JSON; a probe alert reaches the webhook receiver; and the
 * heap after a full GC stays flat.
 */
final class Invariants {
  /** promtool's only complaint that is expected: the specification names this gauge so. */
  static final String ALLOWED_LINT =
      "active_jobs_total non-counter metrics should not have \"_total\" suffix";

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long HEAP_GROWTH_ALLOWED = 64L << 20;

  private final HttpReceiver receiver;
  private long heapBaseline;
  private final List<Long> heapAfterGc = new ArrayList<>();
  private int probes;

  Invariants(HttpReceiver receiver) {
    this.receiver = receiver;
  }

  /** The endpoint checks alone: what shrinking replays after each candidate. */
  void endpoints(Monitoring monitoring) {
    String base = "http://127.0.0.1:" + monitoring.metricsAddress().getPort();
    HttpResponse<String> text = get(base + "/metrics", "text/plain");
    assertThat(text.statusCode()).as("/metrics (text) status").isEqualTo(200);
    assertNoDuplicateSeries(text.body());
    HttpResponse<byte[]> protobuf = getBytes(base + "/metrics", Scrape.PROTOBUF_ACCEPT);
    assertThat(protobuf.statusCode()).as("/metrics (protobuf) status").isEqualTo(200);
    Scrape scrape;
    try {
      scrape = Scrape.parse(protobuf.body());
    } catch (IOException e) {
      throw new AssertionError("/metrics protobuf does not parse: " + e, e);
    }
    Set<String> series = new HashSet<>();
    for (Scrape.Sample s : scrape.samples()) {
      assertThat(series.add(s.name() + s.labels())).as("duplicate series %s", s).isTrue();
    }
    HttpResponse<String> kpi = get(base + "/kpi", "application/json");
    assertThat(kpi.statusCode()).as("/kpi status").isEqualTo(200);
    try {
      assertThat(JSON.readTree(kpi.body()).isObject()).as("/kpi is a JSON object").isTrue();
    } catch (IOException e) {
      throw new AssertionError("/kpi is not valid JSON: " + e + "\n" + kpi.body(), e);
    }
  }

  /** Everything, after a batch. */
  final long[] phaseNanos = new long[4];

  void all(Monitoring monitoring) {
    long t0 = System.nanoTime();
    endpoints(monitoring);
    long t1 = System.nanoTime();
    phaseNanos[0] += t1 - t0;
    String base = "http://127.0.0.1:" + monitoring.metricsAddress().getPort();
    Promtool.Result check = Promtool.checkMetrics(get(base + "/metrics", "text/plain").body());
    for (String line : check.output().split("\n")) {
      assertThat(line.isBlank() || line.strip().equals(ALLOWED_LINT))
          .as("promtool check metrics said:\n%s", check.output())
          .isTrue();
    }
    assertThat(check.exitCode()).as(check.output()).isIn(0, 3);
    long t2 = System.nanoTime();
    phaseNanos[1] += t2 - t1;
    probeAlert(monitoring);
    long t3 = System.nanoTime();
    phaseNanos[2] += t3 - t2;
    heap();
    phaseNanos[3] += System.nanoTime() - t3;
  }

  private void probeAlert(Monitoring monitoring) {
    String marker = "fuzz-probe-" + (++probes);
    monitoring
        .alerts()
        .send(
            Alert.builder("fuzz_probe", Severity.ERROR, "probe " + marker)
                .groupBy("probe", marker)
                .build());
    Awaitility.await("probe alert " + marker + " at the webhook")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> receiver.requests().stream().anyMatch(r -> r.body().contains(marker)));
    receiver.clear(); // the receiver keeps bodies: without this, the test itself would leak
  }

  /**
   * Used heap after a full collection: flat over the run, whatever was passed. Readings move by
   * tens of megabytes with what is in flight (the alert queue holds redacted contexts of up to 128
   * kB, and a busy machine leaves more of it queued), so the check is against the largest reading
   * of the first batches, once the caches, label tables and sketches are full, plus a margin; and
   * it takes the lowest of the last three readings: what is in flight comes and goes, while a leak
   * raises every reading after it, so a leak the size of one batch's input still crosses the margin
   * within a few batches.
   */
  private void heap() {
    long used = usedAfterGc();
    heapAfterGc.add(used);
    int n = heapAfterGc.size();
    if (n >= 3 && n <= 6) {
      heapBaseline = Math.max(heapBaseline, used);
    } else if (n > 8) {
      long floor = Math.min(used, Math.min(heapAfterGc.get(n - 2), heapAfterGc.get(n - 3)));
      assertThat(floor - heapBaseline)
          .as(
              "heap growth after GC (lowest of the last three readings) over the first batches'"
                  + " largest (bytes); all: %s",
              heapAfterGc)
          .isLessThan(HEAP_GROWTH_ALLOWED);
    }
  }

  static long usedAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  List<Long> heapHistory() {
    return heapAfterGc;
  }

  /** Each sample line of the text format once: name and labels are what precedes the value. */
  private static void assertNoDuplicateSeries(String exposition) {
    Set<String> seen = new HashSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String series = line.substring(0, line.lastIndexOf(' '));
      assertThat(seen.add(series)).as("duplicate series in the text format: %s", series).isTrue();
    }
  }

  private static HttpResponse<String> get(String url, String accept) {
    try {
      return CLIENT.send(
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(20))
              .header("Accept", accept)
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static HttpResponse<byte[]> getBytes(String url, String accept) {
    try {
      return CLIENT.send(
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(20))
              .header("Accept", accept)
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AssertionError("GET " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
