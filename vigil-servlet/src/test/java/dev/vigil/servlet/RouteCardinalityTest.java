package dev.vigil.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Monitoring;
import dev.vigil.testkit.Scrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * 10,000 distinct raw paths through a real Jetty: ids become templates, and random paths, which no
 * normaliser can recognise, fill the label-set cap and then fold into the overflow series.
 */
class RouteCardinalityTest {
  private static final int CAP = 50;

  @Test
  void tenThousandDistinctRawPathsProduceABoundedExactNumberOfSeries() throws Exception {
    try (Monitoring monitoring =
            Monitoring.builder("api")
                .metricsHost("127.0.0.1")
                .metricsPort(0)
                .jvmMetrics(false)
                .maxLabelSets("http_requests_total", CAP)
                .maxLabelSets("http_request_duration_seconds", CAP)
                .build()
                .start();
        TestServer server = new TestServer(VigilServletFilter.create(monitoring), nanos -> {})) {
      Random random = new Random(6);
      List<String> idPaths = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        idPaths.add("/api/users/" + (100_000 + i));
        idPaths.add("/api/users/" + UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}));
      }
      for (int i = 0; i < 1000; i++) {
        idPaths.add("/api/files/" + String.format("%040x", new java.math.BigInteger(160, random)));
      }
      Set<String> garbage = new HashSet<>();
      while (garbage.size() < 3000) {
        StringBuilder word = new StringBuilder("/api/");
        for (int k = 0; k < 10; k++) {
          word.append((char) ('a' + random.nextInt(26)));
        }
        garbage.add(word.toString());
      }
      assertThat(new HashSet<>(idPaths)).hasSize(7000);

      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      assertThat(getAll(client, server, idPaths)).isEqualTo(7000);
      assertThat(getAll(client, server, new ArrayList<>(garbage))).isEqualTo(3000);

      Scrape scrape = Scrape.of(monitoring.metricsAddress());
      // Two templates, CAP - 2 random paths that came first, and the overflow series.
      assertThat(scrape.samples("http_requests_total")).hasSize(CAP + 1);
      assertThat(scrape.samples("http_request_duration_seconds_count")).hasSize(CAP + 1);
      assertThat(scrape.value("http_requests_total", "route", "/api/users/{id}")).isEqualTo(6000.0);
      assertThat(scrape.value("http_requests_total", "route", "/api/files/{id}")).isEqualTo(1000.0);
      int foldedRandomPaths = 3000 - (CAP - 2);
      assertThat(
              scrape.value(
                  "http_requests_total",
                  "route",
                  "__overflow__",
                  "method",
                  "__overflow__",
                  "status_code",
                  "__overflow__"))
          .isEqualTo(foldedRandomPaths);
      assertThat(scrape.value("vigil_label_overflow_total", "metric", "http_requests_total"))
          .isEqualTo(foldedRandomPaths);
      assertThat(scrape.sum("http_requests_total")).isEqualTo(10_000.0);
    }
  }

  /** GETs every path, eight in flight at a time; returns how many answered 200. */
  private static int getAll(HttpClient client, TestServer server, List<String> paths) {
    int ok = 0;
    for (int i = 0; i < paths.size(); i += 8) {
      List<CompletableFuture<HttpResponse<Void>>> batch = new ArrayList<>();
      for (int k = i; k < Math.min(i + 8, paths.size()); k++) {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(server.url(paths.get(k))))
                .timeout(Duration.ofSeconds(15))
                .build();
        batch.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()));
      }
      for (CompletableFuture<HttpResponse<Void>> response : batch) {
        if (response.join().statusCode() == 200) {
          ok++;
        }
      }
    }
    return ok;
  }
}
