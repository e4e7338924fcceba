package dev.vigil.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real Alertmanager for a test: the Debian {@code prometheus-alertmanager} binary on a free port
 * of 127.0.0.1, without clustering, its state in a temporary directory, stopped when closed.
 *
 * <pre>{@code
 * try (AlertmanagerServer am = AlertmanagerServer.start(configFile, workDir)) {
 *   am.postAlerts("[{\"labels\":{\"alertname\":\"TargetDown\",\"severity\":\"critical\"}}]");
 * }
 * }</pre>
 */
public final class AlertmanagerServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ExternalProcess process;
  private final URI uri;

  private AlertmanagerServer(ExternalProcess process, URI uri) {
    this.process = process;
    this.uri = uri;
  }

  /** {@code amtool check-config} on a file: the exit code and what it printed. */
  public static Promtool.Result checkConfig(Path configFile) {
    return Promtool.run(
        List.of(
            Executables.require("amtool", "prometheus-alertmanager").toString(),
            "check-config",
            configFile.toAbsolutePath().toString()));
  }

  /** Starts Alertmanager with this configuration and waits until it reports ready. */
  public static AlertmanagerServer start(Path configFile, Path workDir) {
    Path binary = Executables.require("prometheus-alertmanager", "prometheus-alertmanager");
    int port = FreePort.find();
    Path data = workDir.resolve("alertmanager-data");
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
                "--storage.path=" + data.toAbsolutePath(),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=",
                "--log.level=debug"),
            workDir.resolve("alertmanager.log"));
    AlertmanagerServer server =
        new AlertmanagerServer(process, URI.create("http://127.0.0.1:" + port));
    process.awaitReady("Alertmanager", server.uri + "/-/ready");
    return server;
  }

  public URI uri() {
    return uri;
  }

  /** Posts alerts (a JSON array, API v2) as Prometheus does. */
  public void postAlerts(String jsonArray) {
    HttpResponse<String> response =
        Http.send(
            HttpRequest.newBuilder(URI.create(uri + "/api/v2/alerts"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonArray))
                .build());
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "POST /api/v2/alerts answered " + response.statusCode() + ": " + response.body());
    }
  }

  /** The alerts Alertmanager holds, with their state ({@code active}, {@code suppressed}). */
  public JsonNode alerts() {
    return get("/api/v2/alerts");
  }

  /** {@code /api/v2/status}: the loaded configuration, cluster and version. */
  public JsonNode status() {
    return get("/api/v2/status");
  }

  private JsonNode get(String path) {
    HttpResponse<String> response = Http.get(uri + path);
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " answered non-JSON: " + response.body(), e);
    }
  }

  /** Alertmanager's log so far, for failure messages. */
  public String log() {
    return process.logText();
  }

  @Override
  public void close() {
    process.close();
  }
}
