package dev.vigil.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.JobTimer;
import dev.vigil.Kpi;
import dev.vigil.Monitoring;
import dev.vigil.Ticker;
import dev.vigil.testkit.Http;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * The KPI page as a person sees it in Chromium, for a service with known traffic played out by a
 * fake ticker (ten-second samples in milliseconds): the numbers shown are {@code /kpi}'s, every
 * chart draws, new events show up, a hostile label value is text, the console stays empty.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KpiPageBrowserTest {
  static final String HOSTILE =
      "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=2</script>";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = nanos::get;
  private final Instant origin = Instant.parse("2026-03-04T10:00:00Z");
  private Monitoring monitoring;
  private Chromium chromium;

  @BeforeAll
  void start() {
    monitoring =
        Monitoring.builder("bot")
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .ticker(ticker)
            .clock(new TickerClock())
            .topSpendersLogInterval(Duration.ZERO)
            .build()
            .start();
    await().until(() -> samples() == 1);
    for (int round = 0; round < 6; round++) {
      traffic(round);
      advance(Duration.ofSeconds(10));
      int expected = round + 2;
      await().until(() -> samples() == expected);
    }
    chromium = Chromium.start();
  }

  @AfterAll
  void stop() {
    if (chromium != null) {
      chromium.close();
    }
    monitoring.close();
  }

  private void traffic(int round) {
    for (int u = 0; u < 5 + round; u++) {
      monitoring.trackKpi(Kpi.activeUser("user-" + u));
    }
    for (int i = 0; i < 8; i++) {
      monitoring.trackKpi(Kpi.generationSuccess(i % 4 == 0 ? "image" : "text"));
    }
    monitoring.trackKpi(Kpi.generationSuccess(HOSTILE));
    monitoring.trackKpi(Kpi.generationFailure("image", round % 2 == 0 ? "timeout" : "api_error"));
    monitoring.trackKpi(Kpi.tokenSpend(1200 + round, "gpt-4", "input").forUser("user-1"));
    monitoring.trackKpi(Kpi.tokenSpend(800, "gpt-4o-mini", "completion").forUser("user-2"));
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium", new BigDecimal("19.99"), "USD"));
    if (round % 3 == 0) {
      monitoring.trackKpi(Kpi.paymentFailure("p-" + round, "card", "card_declined"));
    }
    for (int i = 0; i < 10; i++) {
      monitoring
          .metrics()
          .recordHttpRequest(
              "POST", "/api/generate", i == 0 ? 500 : 200, (40 + i * 30) * 1_000_000L);
    }
    monitoring.metrics().recordHttpRequest("GET", "/api/users/{id}", 404, 2_000_000L);
    JobTimer timer = monitoring.metrics().startJobTimer("image-generation", "dalle-3");
    advance(Duration.ofMillis(1500 + round * 100));
    timer.stop();
    monitoring.metrics().setActiveJobs("image-generation", round % 3);
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  private int samples() throws Exception {
    return history().at("/history/time").size();
  }

  private JsonNode history() throws Exception {
    return JSON.readTree(Http.get(url("/kpi/history")).body());
  }

  private String url(String path) {
    return "http://127.0.0.1:" + monitoring.metricsAddress().getPort() + path;
  }

  private ChromeDriver open() {
    ChromeDriver driver = chromium.driver();
    driver.get(url("/"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> driver.findElement(By.id("status")).getText().startsWith("Live"));
    return driver;
  }

  @Test
  void theNumbersShownAreThoseOfKpi() throws Exception {
    ChromeDriver driver = open();
    JsonNode kpi = JSON.readTree(Http.get(url("/kpi")).body());
    List<KpiPages.Tile> tiles = KpiPages.tiles(driver);
    assertThat(tiles).hasSizeGreaterThanOrEqualTo(14);
    for (KpiPages.Tile tile : tiles) {
      KpiPages.assertShows(tile, kpi);
    }
    assertThat(text(driver, "generation.successRate"))
        .isEqualTo(percent(kpi.at("/generation/successRate").decimalValue()))
        .isEqualTo("90.0%");
    assertThat(text(driver, "generation.success")).isEqualTo("54");
    assertThat(text(driver, "payments.conversionRate"))
        .isEqualTo(percent(kpi.at("/payments/conversionRate").decimalValue()))
        .isEqualTo("75.0%");
    assertThat(text(driver, "revenue.byCurrency.USD")).isEqualTo("USD 119.94");
    assertThat(text(driver, "tokens.total")).isEqualTo("12,015");
    BigDecimal cost = kpi.at("/tokens/costUsd").decimalValue();
    assertThat(text(driver, "tokens.costUsd"))
        .isEqualTo(
            "USD " + cost.setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString());
    assertThat(text(driver, "activeUsers.distinct.5m"))
        .isEqualTo(kpi.at("/activeUsers/distinct/5m").asText())
        .isEqualTo("10");
    assertThat(text(driver, "queues.image-generation.p95Seconds"))
        .isEqualTo(
            new BigDecimal(kpi.at("/queues/image-generation/p95Seconds").asText())
                    .setScale(2, RoundingMode.HALF_UP)
                + " s");
    assertThat(driver.findElement(By.id("pricing-as-of")).getText())
        .isEqualTo("prices as of " + kpi.at("/tokens/pricingAsOf").asText());
    assertThat(driver.findElement(By.id("service")).getText()).isEqualTo("bot");
  }

  @Test
  void everyChartDrawsItsPoints() {
    ChromeDriver driver = open();
    for (String chart :
        List.of(
            "chart-interactions",
            "chart-distinct",
            "chart-generation-rate",
            "chart-tokens",
            "chart-cost",
            "chart-payments",
            "chart-conversion-rate",
            "chart-queue-p95",
            "chart-queue-active",
            "chart-queue-jobs",
            "chart-http-rate",
            "chart-http-errors",
            "chart-http-latency")) {
      WebElement box = driver.findElement(By.id(chart));
      assertThat(Integer.parseInt(box.getAttribute("data-points"))).as(chart).isGreaterThan(3);
      assertThat(box.findElement(By.cssSelector(".no-data")).isDisplayed()).as(chart).isFalse();
      assertThat(linePixels(driver, chart)).as(chart + ": pixels of its lines").isGreaterThan(50);
    }
  }

  @Test
  @Order(Integer.MAX_VALUE) // it adds events: the others see the scripted traffic only
  void thePageUpdatesWhenNewEventsArrive() throws Exception {
    ChromeDriver driver = open();
    new Select(driver.findElement(By.id("refresh"))).selectByValue("2");
    String before = text(driver, "generation.success");
    for (int i = 0; i < 46; i++) {
      monitoring.trackKpi(Kpi.generationSuccess("text"));
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> text(driver, "generation.success").equals("100"));
    assertThat(before).isEqualTo("54");
    int points =
        Integer.parseInt(
            driver.findElement(By.id("chart-generation-rate")).getAttribute("data-points"));
    advance(Duration.ofSeconds(10));
    await().until(() -> samples() == 8);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                Integer.parseInt(
                        driver
                            .findElement(By.id("chart-generation-rate"))
                            .getAttribute("data-points"))
                    > points);
    // the way back: the same number as /kpi again
    JsonNode kpi = JSON.readTree(Http.get(url("/kpi")).body());
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                text(driver, "generation.successRate")
                    .equals(percent(kpi.at("/generation/successRate").decimalValue())));
  }

  @Test
  void aHostileLabelValueIsShownAsText() {
    ChromeDriver driver = open();
    List<String> types =
        driver.findElements(By.cssSelector("#generation-types tbody tr td:first-child")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(types).contains(HOSTILE, "text", "image");
    List<String> legend =
        driver.findElements(By.cssSelector("#chart-generation-rate .u-legend .u-label")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(legend).contains(HOSTILE);
    JavascriptExecutor js = driver;
    assertThat(js.executeScript("return window.pwned === undefined")).isEqualTo(true);
    assertThat(driver.findElements(By.cssSelector("main img"))).isEmpty();
    assertThat(driver.findElements(By.cssSelector("main script"))).isEmpty();
  }

  @Test
  void theBrowserConsoleStaysEmpty() {
    chromium.consoleLog(); // what earlier tests left
    ChromeDriver driver = open();
    driver.navigate().refresh();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> driver.findElement(By.id("status")).getText().startsWith("Live"));
    assertThat(chromium.consoleLog()).isEmpty();
  }

  private static String text(ChromeDriver driver, String kpi) {
    String path = "/" + kpi.replace('.', '/');
    return KpiPages.tiles(driver).stream()
        .filter(t -> t.path().equals(path))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no tile " + kpi))
        .text();
  }

  /** A ratio as the page shows it: percent with one decimal, rounded half up. */
  static String percent(BigDecimal ratio) {
    return ratio.movePointRight(2).setScale(1, RoundingMode.HALF_UP).toPlainString() + "%";
  }

  /** Pixels of a chart's canvas in one of the line colours (not the grey of "other"). */
  static long linePixels(ChromeDriver driver, String chart) {
    Object n =
        ((JavascriptExecutor) driver)
            .executeScript(
                "var c = document.querySelector('#' + arguments[0] + ' canvas');"
                    + "if (!c) { return 0; }"
                    + "var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                    + "var colors = [[37,99,235],[22,163,74],[220,38,38],[217,119,6],[124,58,237],[8,145,178]];"
                    + "var n = 0;"
                    + "for (var i = 0; i < d.length; i += 4) {"
                    + "  if (d[i + 3] < 200) { continue; }"
                    + "  for (var k = 0; k < colors.length; k++) {"
                    + "    var c2 = colors[k];"
                    + "    if (Math.abs(d[i] - c2[0]) < 30 && Math.abs(d[i + 1] - c2[1]) < 30"
                    + "        && Math.abs(d[i + 2] - c2[2]) < 30) { n++; break; }"
                    + "  }"
                    + "}"
                    + "return n;",
                chart);
    return ((Number) n).longValue();
  }

  /** Wall time that moves with the fake ticker, so samples are ten seconds apart on the axis. */
  private final class TickerClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return origin.plusNanos(nanos.get() - 1_000_000_000L);
    }
  }
}
