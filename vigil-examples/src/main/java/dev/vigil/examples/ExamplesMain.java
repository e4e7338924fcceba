package dev.vigil.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the three example services until Ctrl-C and says where to look.
 *
 * <pre>
 * java -jar vigil-examples/target/vigil-examples.jar [--speed=N] [--redis]
 * </pre>
 *
 * <p>With {@code --redis}, a local {@code redis-server} (Debian's package) is started on a free
 * port, without persistence, every service shares through it ({@code vigil-redis}), and a second
 * bot replica runs on :9094: each bot replica then reports the bot's distinct users across both,
 * and {@code active_users_system_distinct} those of all three services.
 */
public final class ExamplesMain {
  private ExamplesMain() {}

  public static void main(String[] args) throws Exception {
    double speed = 1.0;
    boolean redis = false;
    for (String arg : args) {
      if (arg.startsWith("--speed=")) {
        speed = Double.parseDouble(arg.substring("--speed=".length()));
      } else if (arg.equals("--redis")) {
        redis = true;
      } else {
        System.err.println(
            "Usage: java -jar vigil-examples.jar [--speed=N] [--redis]   (N > 0; 10 = ten times"
                + " faster than real provider latencies; --redis starts redis-server and a second"
                + " bot replica)");
        System.exit(2);
      }
    }
    Map<String, String> environment = new HashMap<>(System.getenv());
    if (redis) {
      environment.put("VIGIL_REDIS_URL", startRedis());
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
            Map.copyOf(environment));
    ExampleServices services = ExampleServices.start(config);
    BotService secondBot = redis ? services.startBotReplica(config, 9094) : null;
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
    if (secondBot != null) {
      int second = secondBot.monitoring().metricsAddress().getPort();
      System.out.printf(
          Locale.ROOT,
          "With Redis at %s: a second bot replica on http://localhost:%d/metrics.%n"
              + "Each bot replica's active_users_distinct now counts the bot's users on both,"
              + " and active_users_system_distinct those of every service:%n"
              + "  curl -s localhost:%d/metrics | grep -E '^active_users_(system_)?distinct'%n"
              + "  curl -s localhost:%d/kpi    (activeUsers: localDistinct is this replica's own)%n%n",
          environment.get("VIGIL_REDIS_URL"),
          second,
          bot,
          second);
    }
    stopped.await();
  }

  /** Starts Debian's redis-server on a free port, persistence off; stopped when the JVM exits. */
  private static String startRedis() throws IOException {
    Path binary = LocalRedis.binary().orElse(null);
    if (binary == null) {
      System.err.println(
          "--redis needs redis-server: apt-get install redis-server (or run without --redis).");
      System.exit(2);
    }
    LocalRedis redis = LocalRedis.start(binary);
    Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "vigil-examples-redis"));
    return redis.url();
  }
}
