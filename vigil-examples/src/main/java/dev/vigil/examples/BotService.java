package dev.vigil.examples;

import dev.vigil.Kpi;
import dev.vigil.LogContext;
import dev.vigil.Monitoring;
import dev.vigil.StructuredLogger;
import dev.vigil.examples.sim.AiProvider;
import dev.vigil.examples.sim.Simulation;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The specification's first example: a Telegram bot's message handler. Simulated users send
 * messages; each is answered by a simulated AI provider, and every step is tracked.
 */
public final class BotService implements AutoCloseable {
  private static final String[] PROMPTS = {
    "write a haiku about autumn", "summarise this article", "translate to French: good morning",
    "explain monads simply", "what should I cook tonight?", "draft a polite refund request"
  };

  private final Monitoring monitoring;
  private final StructuredLogger log;
  private final AiProvider ai;
  private final Simulation simulation;
  private final GroundTruth truth = new GroundTruth();
  // Bounded: when every handler is busy and the backlog is full, the update poller handles the
  // message itself, which slows polling down as a real bot's long-poll loop would.
  private final ExecutorService handlers =
      new ThreadPoolExecutor(
          16,
          16,
          0,
          TimeUnit.SECONDS,
          new ArrayBlockingQueue<>(64),
          Daemon.named("bot-handler"),
          new ThreadPoolExecutor.CallerRunsPolicy());
  private final Thread updates;
  private volatile boolean running = true;

  BotService(Monitoring monitoring, Simulation simulation, double messagesPerSecond) {
    this.monitoring = monitoring;
    this.log = monitoring.logger(BotService.class);
    this.simulation = simulation;
    this.ai = new AiProvider(simulation);
    SplittableRandom random = simulation.split();
    this.updates =
        Daemon.named("bot-updates").newThread(() -> pollUpdates(random, messagesPerSecond));
  }

  void start() {
    updates.start();
  }

  /** A Telegram update: who wrote what. */
  record Message(long chatId, long fromId, String text) {}

  private void pollUpdates(SplittableRandom random, double messagesPerSecond) {
    try {
      while (running) {
        // a few heavy users and a long tail, as in real bots
        long user = 1 + (long) Math.floor(Math.pow(random.nextDouble(), 2) * 400);
        Message msg = new Message(user, user, PROMPTS[random.nextInt(PROMPTS.length)]);
        handlers.execute(() -> onMessage(msg));
        simulation.pass(1000 / messagesPerSecond);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The handler, call for call as in the specification. */
  @SuppressWarnings("try") // the context is used for its scope: every line inside carries userId
  void onMessage(Message msg) {
    // every log line written while handling the message carries the user id
    try (LogContext context = LogContext.user(msg.fromId())) {
      monitoring.trackKpi(Kpi.activeUser(String.valueOf(msg.fromId())));
      truth.inc("messages");
      log.info("Message received", Map.of("userId", msg.fromId(), "text", msg.text()));
      try {
        AiProvider.Completion response = ai.complete(msg.text());
        // The usage object as the provider returned it: Vigil counts each token once, by kind.
        AiProvider.Usage usage = response.usage();
        monitoring.trackKpi(
            Kpi.openAiChatUsage(usage.model())
                .promptTokens(usage.promptTokens())
                .cachedTokens(usage.cachedTokens())
                .completionTokens(usage.completionTokens())
                .reasoningTokens(usage.reasoningTokens())
                .forUser(String.valueOf(msg.fromId())));
        monitoring.trackKpi(Kpi.generationSuccess("text"));
        String tokens = "tokens." + usage.model() + ".";
        truth.add(tokens + "input", usage.promptTokens() - usage.cachedTokens());
        truth.add(tokens + "cache_read", usage.cachedTokens());
        truth.add(tokens + "output", usage.completionTokens() - usage.reasoningTokens());
        truth.add(tokens + "reasoning", usage.reasoningTokens());
        truth.inc("generation.text.success");
        reply(msg.chatId(), response.text());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException error) {
        monitoring.trackKpi(Kpi.generationFailure("text", error));
        truth.inc("generation.text.failure");
        truth.inc("generation.text.failure." + Kpi.errorType(error));
        monitoring.handleError(error, Map.of("userId", msg.fromId(), "messageText", msg.text()));
        reply(msg.chatId(), "Sorry, something went wrong.");
      }
    }
  }

  private void reply(long chatId, String text) {
    log.debug("Reply sent", Map.of("chatId", chatId, "text", text));
  }

  /** Stops new messages and waits for the ones being handled, so counts settle. */
  public void drain() throws InterruptedException {
    running = false;
    updates.interrupt();
    updates.join();
    handlers.shutdown();
    if (!handlers.awaitTermination(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("bot handlers did not finish within 60 s");
    }
  }

  public GroundTruth truth() {
    return truth;
  }

  public Monitoring monitoring() {
    return monitoring;
  }

  @Override
  public void close() {
    running = false;
    updates.interrupt();
    Daemon.stop(handlers);
    monitoring.close();
  }
}
