package dev.vigil.examples;

import dev.vigil.AiBudget;
import dev.vigil.Monitoring;
import dev.vigil.examples.sim.Simulation;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Starts the three example services in one JVM, each with its own {@link Monitoring}, {@code
 * service} label and {@code /metrics} port, as they would run on one machine.
 *
 * <pre>{@code
 * try (ExampleServices services = ExampleServices.start(ExampleServices.Config.defaults())) {
 *   // bot on :9091, api on :9092 (+ the API itself on :8080), worker on :9093
 * }
 * }</pre>
 */
public final class ExampleServices implements AutoCloseable {
  private final BotService bot;
  private final PaymentsApi api;
  private final ImageWorker worker;
  private final Simulation simulation;
  private final List<BotService> botReplicas = new CopyOnWriteArrayList<>();

  /**
   * @param host the interface everything binds to
   * @param botMetricsPort 0 for a free port
   * @param apiMetricsPort 0 for a free port
   * @param workerMetricsPort 0 for a free port
   * @param apiPort the payments API's own port; 0 for a free port
   * @param speed how much faster than real time the simulated providers answer
   * @param seed the random seed of the simulation
   * @param environment extra environment variables for every service (LOG_LEVEL, SENTRY_DSN, ...)
   */
  public record Config(
      String host,
      int botMetricsPort,
      int apiMetricsPort,
      int workerMetricsPort,
      int apiPort,
      double speed,
      long seed,
      Map<String, String> environment) {

    /** The ports the README promises, at real speed. */
    public static Config defaults() {
      return new Config("0.0.0.0", 9091, 9092, 9093, 8080, 1.0, 42, System.getenv());
    }

    /**
     * Free ports on 127.0.0.1, simulated time {@code speed} times as fast, nothing read from the
     * environment: for running the services inside another program, beside others.
     */
    public static Config local(double speed) {
      return new Config("127.0.0.1", 0, 0, 0, 0, speed, 42, Map.of());
    }
  }

  private ExampleServices(
      BotService bot, PaymentsApi api, ImageWorker worker, Simulation simulation) {
    this.bot = bot;
    this.api = api;
    this.worker = worker;
    this.simulation = simulation;
  }

  public static ExampleServices start(Config config) throws IOException {
    Simulation simulation = new Simulation(config.seed(), config.speed());
    BotService bot =
        new BotService(monitoring("bot", config, config.botMetricsPort()), simulation, 5);
    PaymentsApi api =
        new PaymentsApi(
            monitoring("api", config, config.apiMetricsPort()),
            simulation,
            config.host(),
            config.apiPort(),
            6);
    ImageWorker worker =
        new ImageWorker(
            monitoring("worker", config, config.workerMetricsPort()), simulation, 4, 0.6);
    bot.start();
    api.start();
    worker.start();
    return new ExampleServices(bot, api, worker, simulation);
  }

  private static Monitoring monitoring(String service, Config config, int port) {
    Monitoring.Builder builder = Monitoring.builder(service);
    if (service.equals("bot")) {
      // budgets the simulated traffic reaches within minutes, so the dashboards show them
      builder
          .aiBudget(AiBudget.service(AiBudget.Window.DAY, new BigDecimal("5")))
          .aiBudget(AiBudget.model("o4-mini", AiBudget.Window.HOUR, new BigDecimal("1")))
          .aiBudget(AiBudget.perUser(Duration.ofHours(1), new BigDecimal("0.10")));
    }
    return builder
        .readEnvironment(config.environment())
        .metricsHost(config.host())
        .metricsPort(port)
        .build()
        .start();
  }

  /**
   * Starts one more replica of the bot, with its own Monitoring on {@code metricsPort} (0 for a
   * free one) and its own share of the simulated users: with {@code vigil-redis} configured, the
   * two replicas report the bot's distinct users together.
   */
  public BotService startBotReplica(Config config, int metricsPort) {
    BotService replica = new BotService(monitoring("bot", config, metricsPort), simulation, 5);
    replica.start();
    botReplicas.add(replica);
    return replica;
  }

  /** Stops all simulated traffic and waits for work in flight; the endpoints stay up. */
  public void drain() throws InterruptedException {
    bot.drain();
    api.drain();
    worker.drain();
  }

  public BotService bot() {
    return bot;
  }

  public PaymentsApi api() {
    return api;
  }

  public ImageWorker worker() {
    return worker;
  }

  @Override
  public void close() {
    for (BotService replica : botReplicas) {
      replica.close();
    }
    bot.close();
    api.close();
    worker.close();
  }
}
