package dev.vigil.examples;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the three example services until Ctrl-C and says where to look.
 *
 * <pre>
 * java -jar vigil-examples/target/vigil-examples.jar [--speed=N]
 * </pre>
 */
public final class ExamplesMain {
  private ExamplesMain() {}

  public static void main(String[] args) throws Exception {
    double speed = 1.0;
    for (String arg : args) {
      if (arg.startsWith("--speed=")) {
        speed = Double.parseDouble(arg.substring("--speed=".length()));
      } else {
        System.err.println(
            "Usage: java -jar vigil-examples.jar [--speed=N]   (N > 0; 10 = ten times"
                + " faster than real provider latencies)");
        System.exit(2);
      }
    }
    ExampleServices.Config defaults = ExampleServices.Config.defaults();
    ExampleServices.Config config =
        new ExampleServices.Config(
            defaults.host(),
            defaults.botMetricsPort(),
            defaults.apiMetricsPort(),
            defaults.workerMetricsPort(),
            defaults.apiPort(),
            speed,
            defaults.seed(),
            Map.copyOf(System.getenv()));
    ExampleServices services = ExampleServices.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  services.close();
                  stopped.countDown();
                },
                "vigil-examples-shutdown"));

    int bot = services.bot().monitoring().metricsAddress().getPort();
    int api = services.api().monitoring().metricsAddress().getPort();
    int worker = services.worker().monitoring().metricsAddress().getPort();
    System.out.printf(
        Locale.ROOT,
        "%nVigil examples are running (simulated providers at %.1fx real speed)."
            + " Open their live KPI pages:%n"
            + "  bot     (Telegram message handler)  http://localhost:%d/%n"
            + "  api     (payment processing)        http://localhost:%d/   API: http://localhost:%d/api/plans%n"
            + "  worker  (image generation queue)    http://localhost:%d/%n"
            + "  on the same ports: /metrics (Prometheus), /kpi (JSON), /health%n%n"
            + "Try:  curl -s localhost:%d/metrics | grep -E '^(active_users|token_spend|generation_)'%n"
            + "      curl -s localhost:%d/metrics | grep -E '^payment_'%n"
            + "      curl -s localhost:%d/metrics | grep -E '^(queue_|active_jobs)'%n"
            + "      curl -s localhost:%d/kpi          (the business snapshot as JSON)%n"
            + "Logs: LOG_LEVEL=info shows every event; LOG_FORMAT=json|pretty.%n"
            + "Stop with Ctrl-C.%n%n",
        speed,
        bot,
        api,
        services.api().address().getPort(),
        worker,
        bot,
        api,
        worker,
        bot);
    stopped.await();
  }
}
