package dev.vigil.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.examples.ExampleServices;
import dev.vigil.testkit.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The examples' bot, live in real time: its page fills in as samples arrive, agrees with its {@code
 * /kpi} once traffic stops, and leaves a screenshot in {@code target/screenshots/bot-page.png} (the
 * README's picture is one of these).
 */
class ExamplesPageScreenshotTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  @Test
  void theBotPageFillsInAndAgreesWithKpi() throws Exception {
    try (ExampleServices services = ExampleServices.start(ExampleServices.Config.local(10));
        Chromium chromium = Chromium.start()) {
      String base = "http://127.0.0.1:" + services.bot().monitoring().metricsAddress().getPort();
      ChromeDriver driver = chromium.driver();
      driver.get(base + "/");
      new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("refresh")))
          .selectByValue("2");
      // Samples come every 10 s of real time: three give each rate chart two points or more.
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  points(driver, "chart-interactions") >= 2 && points(driver, "chart-tokens") >= 2);
      Path shots = Path.of("target", "screenshots");
      Files.createDirectories(shots);
      long height =
          ((Number)
                  ((JavascriptExecutor) driver).executeScript("return document.body.scrollHeight"))
              .longValue();
      driver.manage().window().setSize(new Dimension(1400, (int) Math.min(6000, height + 40)));
      Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, shots.resolve("bot-page.png"), StandardCopyOption.REPLACE_EXISTING);
      assertThat(Files.size(shots.resolve("bot-page.png"))).isGreaterThan(20_000);

      // Once the traffic has stopped (the last events still in flight land within moments),
      // every tile holds the number /kpi gives.
      services.drain();
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                JsonNode kpi = JSON.readTree(Http.get(base + "/kpi").body());
                for (KpiPages.Tile tile : KpiPages.tiles(driver)) {
                  KpiPages.assertShows(tile, kpi);
                }
              });
      assertThat(chromium.consoleLog()).isEmpty();
    }
  }

  private static int points(ChromeDriver driver, String chart) {
    String p = driver.findElement(By.id(chart)).getAttribute("data-points");
    return p == null || p.isEmpty() ? 0 : Integer.parseInt(p);
  }
}
