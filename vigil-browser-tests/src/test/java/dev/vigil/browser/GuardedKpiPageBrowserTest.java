package dev.vigil.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.testkit.Http;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A service with a metrics bearer token, opened in Chromium as a person would: the page asks for
 * the token, refuses a wrong one, shows the service's numbers after the right one (typed into the
 * form, or given once as {@code ?token=}), and the token ends up neither in the address bar nor
 * anywhere the page's script can read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuardedKpiPageBrowserTest {
  private static final String TOKEN = "browser-s3cret-token";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Monitoring monitoring;
  private Chromium chromium;

  @BeforeAll
  void start() {
    monitoring =
        Monitoring.builder("bot")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .metricsBearerToken(TOKEN)
            .build()
            .start();
    for (int i = 0; i < 7; i++) {
      monitoring.trackKpi(Kpi.generationSuccess("text"));
    }
    monitoring.trackKpi(Kpi.generationFailure("text", "timeout"));
    chromium = Chromium.start();
  }

  @AfterAll
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    monitoring.close();
  }

  @BeforeEach
  void signOut() {
    ChromeDriver driver = chromium.driver();
    driver.get(url("/health"));
    driver.manage().deleteAllCookies();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + monitoring.metricsAddress().getPort() + path;
  }

  private JsonNode kpi() throws Exception {
    return JSON.readTree(Http.get(url("/kpi"), Map.of("Authorization", "Bearer " + TOKEN)).body());
  }

  private static void awaitLive(ChromeDriver driver) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                !driver.findElements(By.id("status")).isEmpty()
                    && driver.findElement(By.id("status")).getText().startsWith("Live"));
  }

  @Test
  void thePageAsksForTheTokenRefusesAWrongOneAndShowsTheNumbersAfterTheRightOne() throws Exception {
    ChromeDriver driver = chromium.driver();
    driver.get(url("/"));
    assertThat(driver.getTitle()).isEqualTo("Vigil: token needed");
    assertThat(driver.findElements(By.id("main"))).isEmpty();
    assertThat(driver.getPageSource()).doesNotContain("bot");

    driver.findElement(By.id("token")).sendKeys("not-the-token");
    driver.findElement(By.cssSelector("#login button")).click();
    await().until(() -> !driver.findElements(By.id("login-error")).isEmpty());
    assertThat(driver.findElement(By.id("login-error")).getText())
        .isEqualTo("That token was not accepted.");

    driver.findElement(By.id("token")).sendKeys(TOKEN);
    driver.findElement(By.cssSelector("#login button")).click();
    awaitLive(driver);
    chromium.consoleLog(); // the sign-in page's 401 is the browser's own line
    assertThat(driver.getCurrentUrl()).isEqualTo(url("/"));
    assertThat(driver.findElement(By.id("service")).getText()).isEqualTo("bot");
    JsonNode kpi = kpi();
    List<KpiPages.Tile> tiles = KpiPages.tiles(driver);
    assertThat(tiles).isNotEmpty();
    for (KpiPages.Tile tile : tiles) {
      KpiPages.assertShows(tile, kpi);
    }
    assertThat(
            tiles.stream()
                .filter(t -> t.path().equals("/generation/successRate"))
                .findFirst()
                .orElseThrow()
                .text())
        .isEqualTo("87.5%");
    // The session cookie is HttpOnly: the page's script cannot read it, nor the token.
    assertThat(driver.executeScript("return document.cookie")).isEqualTo("");
    assertThat(driver.executeScript("return JSON.stringify(sessionStorage)")).isEqualTo("{}");

    driver.navigate().refresh();
    awaitLive(driver);
    assertThat(chromium.consoleLog()).isEmpty();
  }

  @Test
  void aTokenGivenOnceInTheAddressLeavesItAtOnce() {
    ChromeDriver driver = chromium.driver();
    driver.get(url("/?token=" + TOKEN));
    awaitLive(driver);
    assertThat(driver.getCurrentUrl()).isEqualTo(url("/")).doesNotContain(TOKEN);
    assertThat(driver.getPageSource()).doesNotContain(TOKEN);
    assertThat(driver.findElement(By.id("service")).getText()).isEqualTo("bot");
  }
}
