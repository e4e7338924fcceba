package dev.vigil.examples.sim;

import java.util.SplittableRandom;

/**
 * A chat-completion API such as OpenAI's: about one second per answer, occasionally much more, and
 * failures in the proportions a busy provider shows (timeouts, rate limits, server errors).
 */
public final class AiProvider {
  private final Simulation simulation;
  private final SplittableRandom random;

  public AiProvider(Simulation simulation) {
    this.simulation = simulation;
    this.random = simulation.split();
  }

  /** The usage a provider reports with each answer. */
  public record Usage(int promptTokens, int completionTokens) {
    public int totalTokens() {
      return promptTokens + completionTokens;
    }
  }

  /** An answer and its token usage. */
  public record Completion(String text, Usage usage) {}

  /** The provider did not answer in time. */
  public static final class ProviderTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProviderTimeoutException() {
      super("The AI provider did not answer within 30 s");
    }
  }

  /** HTTP 429 from the provider. */
  public static final class RateLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RateLimitException() {
      super("Rate limit reached for requests (429)");
    }
  }

  /** HTTP 5xx from the provider. */
  public static final class ProviderApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProviderApiException() {
      super("The server had an error while processing your request (500)");
    }
  }

  public Completion complete(String prompt) throws InterruptedException {
    double roll;
    double latency;
    int completionTokens;
    synchronized (random) {
      roll = random.nextDouble();
      latency = Simulation.latencyMillis(random, 900, 4_000);
      completionTokens = 40 + random.nextInt(460);
    }
    if (roll < 0.04) {
      simulation.pass(30_000);
      throw new ProviderTimeoutException();
    }
    simulation.pass(latency);
    if (roll < 0.07) {
      throw new RateLimitException();
    }
    if (roll < 0.09) {
      throw new ProviderApiException();
    }
    int promptTokens = 12 + prompt.length() / 4;
    return new Completion(
        "Here is what I think about \"" + prompt + "\".",
        new Usage(promptTokens, completionTokens));
  }
}
