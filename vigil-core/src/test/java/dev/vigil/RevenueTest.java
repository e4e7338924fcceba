package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code payment_revenue_total{currency,plan}}: exact money, bad amounts never counted. */
class RevenueTest {
  private Monitoring monitoring;

  @BeforeEach
  void start() {
    monitoring = build(false);
  }

  @AfterEach
  void stop() {
    monitoring.close();
  }

  private static Monitoring build(boolean strict) {
    return Monitoring.builder("api")
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .jvmMetrics(false)
        .strict(strict)
        .topSpendersLogInterval(Duration.ZERO)
        .build()
        .start();
  }

  private Scrape scrape() {
    return Scrape.of(monitoring.metricsAddress());
  }

  private double revenue(String currency, String plan) {
    return scrape().value("payment_revenue_total", "currency", currency, "plan", plan);
  }

  private double invalid(String reason) {
    return scrape()
        .value("vigil_invalid_inputs_total", "metric", "payment_revenue_total", "reason", reason);
  }

  @Test
  void revenueIsCountedExactlyByCurrencyAndPlan() {
    for (int i = 0; i < 3; i++) {
      monitoring.trackKpi(Kpi.paymentConversion("card", "premium", new BigDecimal("19.99"), "USD"));
    }
    monitoring.trackKpi(Kpi.paymentConversion("yookassa", "basic", new BigDecimal("990"), "rub"));
    monitoring.trackKpi(Kpi.paymentConversion("card", "basic", BigDecimal.valueOf(499, 2), "USD"));

    assertThat(revenue("USD", "premium")).isEqualTo(59.97); // not 59.970000000000006
    assertThat(revenue("RUB", "basic")).isEqualTo(990.0);
    assertThat(revenue("USD", "basic")).isEqualTo(4.99);
    assertThat(
            scrape()
                .value("payment_conversions_total", "payment_method", "card", "plan", "premium"))
        .isEqualTo(3.0);
    assertThat(monitoring.kpiJson())
        .contains(
            "\"revenue\":{\"byCurrency\":{\"RUB\":990,\"USD\":64.96},"
                + "\"byPlan\":{\"basic\":{\"RUB\":990,\"USD\":4.99},\"premium\":{\"USD\":59.97}}}");
  }

  @Test
  void theSpecificationsMapFormCarriesAmountAndCurrency() {
    monitoring.trackKpi(
        "payment_conversion",
        Map.of("paymentMethod", "card", "plan", "premium", "amount", "19.99", "currency", "EUR"));
    monitoring.trackKpi(
        "payment_conversion",
        Map.of("paymentMethod", "card", "plan", "premium", "amount", 10, "currency", "EUR"));
    assertThat(revenue("EUR", "premium")).isEqualTo(29.99);
  }

  @Test
  void aConversionWithoutMoneyAddsNoRevenueAndIsNoError() {
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium"));
    assertThat(scrape().samples("payment_revenue_total")).isEmpty();
    assertThat(scrape().matching("vigil_invalid_inputs_total", "metric", "payment_revenue_total"))
        .isEmpty();
  }

  @Test
  void negativeAmountIsNotCountedButTheConversionIs() {
    try (LogCapture logs = LogCapture.of("dev.vigil")) {
      monitoring.trackKpi(
          Kpi.paymentConversion("card", "premium", new BigDecimal("-19.99"), "USD"));
      assertThat(logs.warnings())
          .containsExactly(
              "payment_conversion: amount -19.99 USD is negative; revenue not counted, the"
                  + " conversion is. Track refunds separately, e.g. with a custom counter.");
    }
    assertThat(scrape().samples("payment_revenue_total")).isEmpty();
    assertThat(invalid("negative_value")).isEqualTo(1.0);
    assertThat(
            scrape()
                .value("payment_conversions_total", "payment_method", "card", "plan", "premium"))
        .isEqualTo(1.0);
  }

  @Test
  void unknownCurrencyIsNotCounted() {
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium", BigDecimal.TEN, "DOLLARS"));
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium", BigDecimal.TEN, "ZZZ"));
    assertThat(scrape().samples("payment_revenue_total")).isEmpty();
    assertThat(invalid("unknown_currency")).isEqualTo(2.0);
  }

  @Test
  void amountAndCurrencyMustComeTogether() {
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium", BigDecimal.TEN, null));
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium", BigDecimal.TEN, " "));
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium", null, "USD"));
    monitoring.trackKpi(
        "payment_conversion",
        Map.of("paymentMethod", "card", "plan", "premium", "amount", "ten", "currency", "USD"));
    assertThat(scrape().samples("payment_revenue_total")).isEmpty();
    assertThat(invalid("null_value")).isEqualTo(3.0);
    assertThat(invalid("blank_value")).isEqualTo(1.0);
  }

  @Test
  void amountFinerThanTheMinorUnitIsRoundedToItAndReported() {
    // the classic mistake: new BigDecimal(double) = 19.989999999999998436805981327779591...
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium", new BigDecimal(19.99), "USD"));
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium", new BigDecimal("1500.5"), "JPY"));
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium", new BigDecimal("1.2500"), "USD"));
    assertThat(revenue("USD", "premium")).isEqualTo(21.24);
    assertThat(revenue("JPY", "premium")).isEqualTo(1500.0); // half-even
    assertThat(invalid("too_precise")).isEqualTo(2.0);
  }

  @Test
  void absurdlyLargeAmountIsNotCounted() {
    monitoring.trackKpi(Kpi.paymentConversion("card", "premium", new BigDecimal("1E+12"), "USD"));
    assertThat(scrape().samples("payment_revenue_total")).isEmpty();
    assertThat(invalid("out_of_range")).isEqualTo(1.0);
  }

  @Test
  void strictModeThrowsTheSameMessage() {
    try (Monitoring strict = build(true)) {
      assertThatThrownBy(
              () ->
                  strict.trackKpi(
                      Kpi.paymentConversion("card", "premium", BigDecimal.ONE, "DOLLARS")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "payment_conversion: 'DOLLARS' is not an ISO 4217 currency code; revenue not"
                  + " counted, the conversion is. Pass a three-letter code such as \"USD\","
                  + " \"EUR\" or \"RUB\".");
    }
  }

  @Test
  void concurrentConversionsLoseNoRevenue() throws Exception {
    int threads = 4;
    int perThread = 10_000;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    BigDecimal price = new BigDecimal("0.01");
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  for (int i = 0; i < perThread; i++) {
                    monitoring.trackKpi(Kpi.paymentConversion("card", "micro", price, "USD"));
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(revenue("USD", "micro")).isEqualTo(400.0); // 40,000 cents, none lost
  }
}
