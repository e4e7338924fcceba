package dev.vigil.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.spring.boot.testapp.ShopApplication;
import dev.vigil.testkit.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Spring Boot's own structured logging ({@code logging.structured.format.console=ecs}) with Vigil:
 * Vigil's lines are Spring's JSON lines too, with their fields, none is dropped (ECS writes its own
 * {@code service} object, so Vigil adds no {@code service} key of its own), and an unhandled
 * exception leaves one stack trace in the output, not one from Vigil and one from Tomcat.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(
    classes = ShopApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "logging.structured.format.console=ecs",
      "vigil.service=structured",
      "vigil.http.log-level.client-error=info"
    })
class SpringBootStructuredLoggingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER_AGENT = "Java-http-client/" + System.getProperty("java.version");

  @LocalServerPort int port;

  @Test
  void vigilLinesAreSpringsJsonLinesAndAFailureHasOneStackTrace(CapturedOutput output)
      throws Exception {
    Http.get("http://127.0.0.1:" + port + "/api/boom", Map.of("X-Request-Id", "ecs-1"));
    Http.get("http://127.0.0.1:" + port + "/api/users/0");

    assertThat(output.getAll()).doesNotContain("failed to append");
    List<JsonNode> lines = new ArrayList<>();
    for (String line : output.getOut().split("\n")) {
      if (line.startsWith("{")) {
        lines.add(JSON.readTree(line));
      }
    }
    List<JsonNode> errors =
        lines.stream()
            .filter(l -> l.at("/log/logger").asText().equals("dev.vigil.errors"))
            .toList();
    assertThat(errors).hasSize(1);
    JsonNode error = errors.get(0);
    assertThat(error.path("message").asText())
        .isEqualTo("Error IllegalStateException: payment provider down");
    assertThat(error.path("error_type").asText()).isEqualTo("IllegalStateException");
    assertThat(error.path("service").path("name").asText()).isEqualTo("shop");
    assertThat(error.path("requestId").asText()).isEqualTo("ecs-1");
    assertThat(lines)
        .filteredOn(
            l ->
                l.toString().contains("payment provider down")
                    && !l.at("/error/stack_trace").isMissingNode())
        .as("lines with the stack trace")
        .hasSize(1);
    assertThat(lines)
        .filteredOn(l -> l.at("/log/logger").asText().equals("dev.vigil.http"))
        .extracting(l -> l.at("/log/level").asText() + " " + l.path("message").asText())
        .containsExactly(
            "WARN GET /api/boom 500 10.0 ms user-agent=" + USER_AGENT,
            "INFO GET /api/users/{userId} 404 30.0 ms user-agent=" + USER_AGENT);
  }
}
