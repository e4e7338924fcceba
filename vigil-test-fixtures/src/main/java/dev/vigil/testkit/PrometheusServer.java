package dev.vigil.testkit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A real Prometheus server for a test: started from the Debian {@code prometheus} binary on a free
 * port of 127.0.0.1 with its data in a temporary directory, queried through its HTTP API, and
 * stopped when closed.
 *
 * <pre>{@code
 * try (PrometheusServer prometheus = PrometheusServer.start(configFile, workDir)) {
 *   prometheus.awaitScrapesAfter(Instant.now(), Duration.ofSeconds(30));
 *   PrometheusServer.Result up = prometheus.query("up");
 *   assertThat(up.samples()).isNotEmpty();
 * }
 * }</pre>
 */
public final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One sample of an instant query result (a scalar result is one sample without labels). */
  public record Sample(Map<String, String> labels, double value) {
    public Sample {
      labels = Map.copyOf(labels);
    }
  }

  /**
   * The answer to one query: the samples, or the error Prometheus gave.
   *
   * @param expr the query as sent
   * @param error Prometheus' error message, {@code null} when the query succeeded
   * @param resultType {@code vector}, {@code scalar}, {@code matrix} or {@code string}
   */
  public record Result(
      String expr,
      @Nullable String error,
      String resultType,
      List<Sample> samples,
      List<String> warnings) {
    public Result {
      samples = List.copyOf(samples);
      warnings = List.copyOf(warnings);
    }

    public boolean succeeded() {
      return error == null;
    }

    /** The value of the only sample; fails if there is not exactly one. */
    public double single() {
      if (error != null || samples.size() != 1) {
        throw new AssertionError("expected one sample from " + expr + ", got " + this);
      }
      return samples.get(0).value();
    }
  }

  private final ExternalProcess process;
  private final URI uri;

  private PrometheusServer(ExternalProcess process, URI uri) {
    this.process = process;
    this.uri = uri;
  }

  /**
   * Starts Prometheus with this configuration file (rule files in it are resolved relative to it),
   * keeping its TSDB and log under {@code workDir}, and waits until it reports ready.
   */
  public static PrometheusServer start(Path configFile, Path workDir) {
    Path binary = Executables.require("prometheus", "prometheus");
    int port = FreePort.find();
    Path data = workDir.resolve("prometheus-data");
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ExternalProcess process =
        ExternalProcess.start(
            List.of(
                binary.toString(),
                "--config.file=" + configFile.toAbsolutePath(),
                "--storage.tsdb.path=" + data.toAbsolutePath(),
                "--storage.tsdb.retention.time=1h",
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=info"),
            workDir.resolve("prometheus.log"));
    PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port));
    process.awaitReady("Prometheus", server.uri + "/-/ready");
    return server;
  }

  public URI uri() {
    return uri;
  }

  /** An instant query evaluated now. */
  public Result query(String promql) {
    return fetchQuery("query=" + encode(promql), promql);
  }

  /** An instant query evaluated at {@code time}. */
  public Result queryAt(String promql, Instant time) {
    double seconds = time.getEpochSecond() + time.getNano() / 1e9;
    return fetchQuery("query=" + encode(promql) + "&time=" + seconds, promql);
  }

  private Result fetchQuery(String params, String promql) {
    JsonNode body = get("/api/v1/query?" + params);
    List<String> warnings = new ArrayList<>();
    body.path("warnings").forEach(w -> warnings.add(w.asText()));
    if (!"success".equals(body.path("status").asText())) {
      return new Result(
          promql,
          body.path("errorType").asText() + ": " + body.path("error").asText(),
          "",
          List.of(),
          warnings);
    }
    JsonNode data = body.path("data");
    String type = data.path("resultType").asText();
    List<Sample> samples = new ArrayList<>();
    switch (type) {
      case "vector":
        for (JsonNode item : data.path("result")) {
          samples.add(new Sample(labels(item.path("metric")), number(item.path("value").get(1))));
        }
        break;
      case "scalar":
        samples.add(new Sample(Map.of(), number(data.path("result").get(1))));
        break;
      default:
        // matrix and string results carry no single value per series; report their series only
        for (JsonNode item : data.path("result")) {
          samples.add(new Sample(labels(item.path("metric")), Double.NaN));
        }
    }
    return new Result(promql, null, type, samples, warnings);
  }

  /**
   * Waits until every active target has been scraped, successfully, after {@code instant}: the
   * samples of that scrape are then queryable.
   */
  public void awaitScrapesAfter(Instant instant, Duration atMost) {
    await("every target scraped successfully after " + instant)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              process.assertAlive();
              JsonNode targets =
                  get("/api/v1/targets?state=active").path("data").path("activeTargets");
              if (targets.isEmpty()) {
                return false;
              }
              for (JsonNode target : targets) {
                if (!"up".equals(target.path("health").asText())
                    || !Instant.parse(target.path("lastScrape").asText()).isAfter(instant)) {
                  return false;
                }
              }
              return true;
            });
  }

  /** Waits until every rule group has been evaluated after {@code instant}. */
  public void awaitRuleEvaluationsAfter(Instant instant, Duration atMost) {
    await("every rule group evaluated after " + instant)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              process.assertAlive();
              for (JsonNode group : get("/api/v1/rules").path("data").path("groups")) {
                if (!Instant.parse(group.path("lastEvaluation").asText()).isAfter(instant)) {
                  return false;
                }
              }
              return true;
            });
  }

  /** The rules Prometheus loaded, with their health and last error, from {@code /api/v1/rules}. */
  public JsonNode rules() {
    return get("/api/v1/rules").path("data");
  }

  /** A GET on Prometheus' HTTP API, parsed; errors answered as JSON are returned too. */
  public JsonNode get(String pathAndQuery) {
    HttpResponse<String> response = Http.get(uri + pathAndQuery);
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError(
          "GET "
              + pathAndQuery
              + " answered "
              + response.statusCode()
              + " with non-JSON: "
              + response.body(),
          e);
    }
  }

  /** Prometheus' log so far, for failure messages. */
  public String log() {
    return process.logText();
  }

  @Override
  public void close() {
    process.close();
  }

  private static Map<String, String> labels(JsonNode metric) {
    Map<String, String> labels = new TreeMap<>();
    metric.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  private static double number(JsonNode value) {
    // Prometheus writes sample values as strings, including "NaN" and "+Inf"
    String text = value.asText();
    switch (text) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        return Double.parseDouble(text);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    Map<String, Object> description = new LinkedHashMap<>();
    description.put("uri", uri);
    description.put("alive", process.isAlive());
    return "PrometheusServer" + description;
  }
}
