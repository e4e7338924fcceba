package dev.vigil.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Monitoring;
import dev.vigil.spring.boot.testapp.ShopApplication;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * 10,000 distinct raw paths through a real Spring Boot application: 5,000 user ids and UUIDs, all
 * one MVC template, and 5,000 random paths no handler matches, all one {@code UNMATCHED} route.
 */
@SpringBootTest(
    classes = ShopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "vigil.service=cardinality")
class SpringBootRouteCardinalityTest {
  @LocalServerPort int port;
  @Autowired Monitoring monitoring;

  @Test
  void tenThousandDistinctRawPathsProduceExactlyTwoSeries() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      paths.add("/api/users/" + (1 + i));
      paths.add("/api/users/" + UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}));
    }
    Random random = new Random(6);
    Set<String> unmatched = new HashSet<>();
    while (unmatched.size() < 5000) {
      StringBuilder path = new StringBuilder("/");
      for (int k = 0; k < 12; k++) {
        path.append((char) ('a' + random.nextInt(26)));
      }
      unmatched.add(path.toString());
    }
    paths.addAll(unmatched);
    assertThat(new HashSet<>(paths)).hasSize(10_000);

    int[] statuses = getAll(paths);

    assertThat(statuses[200]).isEqualTo(5000);
    assertThat(statuses[404]).isEqualTo(5000);
    Scrape scrape = Scrape.of(monitoring.metricsAddress());
    assertThat(scrape.samples("http_requests_total")).hasSize(2);
    assertThat(
            scrape.value(
                "http_requests_total",
                "service",
                "cardinality",
                "method",
                "GET",
                "route",
                "/api/users/{userId}",
                "status_code",
                "200"))
        .isEqualTo(5000.0);
    assertThat(
            scrape.value(
                "http_requests_total", "method", "GET", "route", "UNMATCHED", "status_code", "404"))
        .isEqualTo(5000.0);
    assertThat(scrape.samples("http_request_duration_seconds_count")).hasSize(2);
    assertThat(scrape.samples("vigil_label_overflow_total")).isEmpty();
  }

  /** GETs every path, eight in flight at a time; counts the answers by status. */
  private int[] getAll(List<String> paths) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    int[] statuses = new int[600];
    for (int i = 0; i < paths.size(); i += 8) {
      List<CompletableFuture<HttpResponse<Void>>> batch = new ArrayList<>();
      for (int k = i; k < Math.min(i + 8, paths.size()); k++) {
        batch.add(
            client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + paths.get(k)))
                    .timeout(Duration.ofSeconds(15))
                    .build(),
                HttpResponse.BodyHandlers.discarding()));
      }
      batch.forEach(response -> statuses[response.join().statusCode()]++);
    }
    return statuses;
  }
}
