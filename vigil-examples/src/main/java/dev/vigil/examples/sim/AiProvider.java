package dev.vigil.examples.sim;

import java.util.SplittableRandom;

/**
 * A chat-completion API such as OpenAI's: about one second per answer, occasionally much more, and
 * failures in the proportions a busy provider shows (timeouts, rate limits, server errors). Its
 * usage object is OpenAI's: {@code prompt_tokens} includes the cached part of the prompt (the
 * system prompt, once cached, in blocks of 128 tokens from 1,024 on), {@code completion_tokens}
 * includes the reasoning of the reasoning model.
 */
public final class AiProvider {
  private final Simulation simulation;
  private final SplittableRandom random;

  public AiProvider(Simulation simulation) {
    this.simulation = simulation;
    this.random = simulation.split();
  }

  /** The chat model, and the reasoning model a fifth of the questions go to. */
  public static final String CHAT_MODEL = "gpt-4o";

  public static final String REASONING_MODEL = "o4-mini";

  /** The system prompt every request starts with: cached by the provider after the first. */
  static final int SYSTEM_PROMPT_TOKENS = 1_200;

  /**
   * The usage a provider reports with each answer, in OpenAI's field names: {@code prompt_tokens},
   * {@code prompt_tokens_details.cached_tokens}, {@code completion_tokens}, {@code
   * completion_tokens_details.reasoning_tokens}.
   */
  public record Usage(
      String model, int promptTokens, int cachedTokens, int completionTokens, int reasoningTokens) {
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
    boolean reasoning;
    boolean cacheHit;
    int thinking;
    synchronized (random) {
      roll = random.nextDouble();
      latency = Simulation.latencyMillis(random, 900, 4_000);
      completionTokens = 40 + random.nextInt(460);
      reasoning = random.nextInt(5) == 0;
      cacheHit = random.nextInt(10) < 7;
      thinking = 200 + random.nextInt(1_800);
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
    int promptTokens = SYSTEM_PROMPT_TOKENS + 12 + prompt.length() / 4;
    // OpenAI caches prompt prefixes of 1,024 tokens and more, in steps of 128.
    int cachedTokens = cacheHit ? 1_024 + (SYSTEM_PROMPT_TOKENS - 1_024) / 128 * 128 : 0;
    int reasoningTokens = reasoning ? thinking : 0;
    return new Completion(
        "Here is what I think about \"" + prompt + "\".",
        new Usage(
            reasoning ? REASONING_MODEL : CHAT_MODEL,
            promptTokens,
            cachedTokens,
            completionTokens + reasoningTokens,
            reasoningTokens));
  }
}
