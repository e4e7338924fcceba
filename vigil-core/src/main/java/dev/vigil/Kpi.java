package dev.vigil;

import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A business event to count: the six KPI types of the specification, built with the static
 * factories below and passed to {@link Monitoring#trackKpi(Kpi)}.
 *
 * <pre>{@code
 * monitoring.trackKpi(Kpi.activeUser(userId));
 * monitoring.trackKpi(Kpi.generationSuccess("image"));
 * monitoring.trackKpi(Kpi.generationFailure("image", e));            // error_type = "TimeoutException"
 * monitoring.trackKpi(Kpi.tokenSpend(1500, "gpt-4", "completion"));
 * monitoring.trackKpi(Kpi.openAiChatUsage("gpt-4o")                 // the provider's usage object
 *     .promptTokens(2006).cachedTokens(1920).completionTokens(300).reasoningTokens(0));
 * monitoring.trackKpi(Kpi.paymentConversion("card", "premium"));
 * monitoring.trackKpi(Kpi.paymentFailure(paymentId, "card", "insufficient_funds"));
 * }</pre>
 *
 * <p>Factories never throw: bad values (null, blank, negative tokens) are dealt with when the event
 * is tracked, by the rules in the README, so building an event can never break the business code
 * around it. Label values must come from small fixed sets; ids (user, payment) are never labels.
 */
public sealed interface Kpi
    permits Kpi.ActiveUser,
        Kpi.GenerationSuccess,
        Kpi.GenerationFailure,
        Kpi.TokenSpend,
        Kpi.PaymentConversion,
        Kpi.PaymentFailure,
        Kpi.OpenAiChatUsage,
        Kpi.OpenAiResponsesUsage,
        Kpi.AnthropicUsage,
        Kpi.GeminiUsage,
        Kpi.TokenUsage {

  /**
   * The KPI type names of the generic entry point {@link Monitoring#trackKpi(String,
   * java.util.Map)}.
   */
  List<String> TYPES =
      List.of(
          ActiveUser.TYPE,
          GenerationSuccess.TYPE,
          GenerationFailure.TYPE,
          TokenSpend.TYPE,
          PaymentConversion.TYPE,
          PaymentFailure.TYPE);

  /** The specification's name for this KPI type, such as {@code "token_spend"}. */
  String kpiType();

  /** A user interacted with the service: counts {@code active_users_total}. */
  static ActiveUser activeUser(@Nullable String userId) {
    return new ActiveUser(userId);
  }

  /**
   * A user with a numeric id interacted with the service: the same as {@link #activeUser(String)}
   * with the id's decimal text, so {@code activeUser(42)} and {@code activeUser("42")} are one
   * user.
   */
  static ActiveUser activeUser(long userId) {
    return new ActiveUser(Long.toString(userId));
  }

  /** An AI generation of this content type succeeded: counts {@code generation_success_total}. */
  static GenerationSuccess generationSuccess(@Nullable String type) {
    return new GenerationSuccess(type);
  }

  /** An AI generation failed: counts {@code generation_failure_total{type,error_type}}. */
  static GenerationFailure generationFailure(@Nullable String type, @Nullable String errorType) {
    return new GenerationFailure(type, errorType);
  }

  /** An AI generation failed with this exception; its simple class name is the error type. */
  static GenerationFailure generationFailure(@Nullable String type, @Nullable Throwable error) {
    return new GenerationFailure(type, errorType(error));
  }

  /** Tokens consumed: adds to {@code token_spend_total{model,type}}. */
  static TokenSpend tokenSpend(long tokens, @Nullable String model, @Nullable String type) {
    return new TokenSpend(tokens, model, type, null);
  }

  /**
   * The {@code usage} object of an OpenAI Chat Completions response, in its own field names: {@code
   * prompt_tokens} includes {@code prompt_tokens_details.cached_tokens}, and {@code
   * completion_tokens} includes {@code completion_tokens_details.reasoning_tokens}. Counted without
   * double counting as {@code input} (prompt less cached), {@code cache_read}, {@code output}
   * (completion less reasoning) and {@code reasoning}; see {@link TokenUsage} for the token kinds.
   *
   * <pre>{@code
   * monitoring.trackKpi(Kpi.openAiChatUsage(response.model())
   *     .promptTokens(usage.promptTokens())
   *     .cachedTokens(cachedTokens)                  // prompt_tokens_details.cached_tokens, or 0
   *     .completionTokens(usage.completionTokens())
   *     .reasoningTokens(reasoningTokens)            // completion_tokens_details.reasoning_tokens
   *     .forUser(userId));
   * }</pre>
   */
  static OpenAiChatUsage openAiChatUsage(@Nullable String model) {
    return new OpenAiChatUsage(model, 0, 0, 0, 0, null);
  }

  /**
   * The {@code usage} object of an OpenAI Responses API response: {@code input_tokens} includes
   * {@code input_tokens_details.cached_tokens}, {@code output_tokens} includes {@code
   * output_tokens_details.reasoning_tokens}. Counted as {@link #openAiChatUsage} is.
   */
  static OpenAiResponsesUsage openAiResponsesUsage(@Nullable String model) {
    return new OpenAiResponsesUsage(model, 0, 0, 0, 0, null);
  }

  /**
   * The {@code usage} object of an Anthropic Messages response: {@code input_tokens} excludes the
   * cache, so {@code input_tokens}, {@code cache_creation_input_tokens} and {@code
   * cache_read_input_tokens} add up to the request's input. Counted as {@code input}, {@code
   * cache_write} (5-minute writes), {@code cache_write_1h} (1-hour writes, when {@link
   * AnthropicUsage#cacheCreation(long, long) cacheCreation} gives the split) and {@code
   * cache_read}, with {@code output_tokens} as {@code output} (extended thinking included, as
   * Anthropic bills it).
   *
   * <pre>{@code
   * monitoring.trackKpi(Kpi.anthropicUsage(message.model())
   *     .inputTokens(usage.inputTokens())
   *     .cacheCreationInputTokens(usage.cacheCreationInputTokens())
   *     .cacheReadInputTokens(usage.cacheReadInputTokens())
   *     .outputTokens(usage.outputTokens()));
   * }</pre>
   */
  static AnthropicUsage anthropicUsage(@Nullable String model) {
    return new AnthropicUsage(model, 0, 0, 0, 0, 0, null);
  }

  /**
   * The {@code usageMetadata} of a Google Gemini response: {@code promptTokenCount} includes {@code
   * cachedContentTokenCount}; {@code candidatesTokenCount} excludes {@code thoughtsTokenCount},
   * which Google bills as output. Counted as {@code input} (prompt less cached, plus {@code
   * toolUsePromptTokenCount}), {@code cache_read}, {@code output} and {@code reasoning}.
   *
   * <pre>{@code
   * monitoring.trackKpi(Kpi.geminiUsage("gemini-2.5-pro")
   *     .promptTokenCount(meta.promptTokenCount())
   *     .cachedContentTokenCount(meta.cachedContentTokenCount())
   *     .candidatesTokenCount(meta.candidatesTokenCount())
   *     .thoughtsTokenCount(meta.thoughtsTokenCount()));
   * }</pre>
   */
  static GeminiUsage geminiUsage(@Nullable String model) {
    return new GeminiUsage(model, 0, 0, 0, 0, 0, null);
  }

  /**
   * The usage of one model call in OpenTelemetry's terms, for providers without an entry point of
   * their own: {@code inputTokens} includes the cache reads and writes, {@code outputTokens}
   * includes the reasoning tokens ({@code gen_ai.usage.input_tokens}, {@code
   * gen_ai.usage.cache_read.input_tokens}, {@code gen_ai.usage.cache_creation.input_tokens}, {@code
   * gen_ai.usage.output_tokens}, {@code gen_ai.usage.reasoning.output_tokens}).
   */
  static TokenUsage tokenUsage(@Nullable String model) {
    return new TokenUsage(model, 0, 0, 0, 0, 0, null);
  }

  /** A payment succeeded: counts {@code payment_conversions_total{payment_method,plan}}. */
  static PaymentConversion paymentConversion(
      @Nullable String paymentMethod, @Nullable String plan) {
    return new PaymentConversion(paymentMethod, plan, null, null);
  }

  /**
   * A payment of {@code amount} in {@code currency} (ISO 4217, such as {@code "USD"}) succeeded.
   * Money is a {@link BigDecimal}, never a float.
   */
  static PaymentConversion paymentConversion(
      @Nullable String paymentMethod,
      @Nullable String plan,
      @Nullable BigDecimal amount,
      @Nullable String currency) {
    return new PaymentConversion(paymentMethod, plan, amount, currency);
  }

  /**
   * A payment failed: counts {@code payment_failures_total{payment_method,error_type}}. The payment
   * id goes to logs and alerts, never to a label.
   */
  static PaymentFailure paymentFailure(
      @Nullable String paymentId, @Nullable String paymentMethod, @Nullable String errorType) {
    return new PaymentFailure(paymentId, paymentMethod, errorType);
  }

  /** The error type Vigil derives from an exception: its simple class name. */
  static String errorType(@Nullable Throwable error) {
    if (error == null) {
      return "unknown";
    }
    String name = error.getClass().getSimpleName();
    return name.isEmpty() ? error.getClass().getName() : name;
  }

  /** See {@link Kpi#activeUser(String)}. */
  record ActiveUser(@Nullable String userId) implements Kpi {
    static final String TYPE = "active_user";

    @Override
    public String kpiType() {
      return TYPE;
    }
  }

  /** See {@link Kpi#generationSuccess(String)}. */
  record GenerationSuccess(@Nullable String type) implements Kpi {
    static final String TYPE = "generation_success";

    @Override
    public String kpiType() {
      return TYPE;
    }
  }

  /** See {@link Kpi#generationFailure(String, String)}. */
  record GenerationFailure(@Nullable String type, @Nullable String errorType) implements Kpi {
    static final String TYPE = "generation_failure";

    @Override
    public String kpiType() {
      return TYPE;
    }
  }

  /**
   * See {@link Kpi#tokenSpend(long, String, String)}.
   *
   * @param userId who spent them, for cost per user; never a label
   */
  record TokenSpend(
      long tokens, @Nullable String model, @Nullable String type, @Nullable String userId)
      implements Kpi {
    static final String TYPE = "token_spend";

    /** The same spend, attributed to a user (for cost per user, never a label). */
    public TokenSpend forUser(@Nullable String userId) {
      return new TokenSpend(tokens, model, type, userId);
    }

    @Override
    public String kpiType() {
      return TYPE;
    }
  }

  /** See {@link Kpi#paymentConversion(String, String, BigDecimal, String)}. */
  record PaymentConversion(
      @Nullable String paymentMethod,
      @Nullable String plan,
      @Nullable BigDecimal amount,
      @Nullable String currency)
      implements Kpi {
    static final String TYPE = "payment_conversion";

    @Override
    public String kpiType() {
      return TYPE;
    }
  }

  /** See {@link Kpi#paymentFailure(String, String, String)}. */
  record PaymentFailure(
      @Nullable String paymentId, @Nullable String paymentMethod, @Nullable String errorType)
      implements Kpi {
    static final String TYPE = "payment_failure";

    @Override
    public String kpiType() {
      return TYPE;
    }
  }

  /**
   * See {@link Kpi#openAiChatUsage(String)}. Each method returns a copy with one field set; a field
   * never set counts as 0.
   */
  record OpenAiChatUsage(
      @Nullable String model,
      long promptTokens,
      long cachedTokens,
      long completionTokens,
      long reasoningTokens,
      @Nullable String userId)
      implements Kpi {

    /** {@code usage.prompt_tokens}: every input token, cached ones included. */
    public OpenAiChatUsage promptTokens(long promptTokens) {
      return new OpenAiChatUsage(
          model, promptTokens, cachedTokens, completionTokens, reasoningTokens, userId);
    }

    /**
     * {@code usage.prompt_tokens_details.cached_tokens}: the part of the prompt read from cache.
     */
    public OpenAiChatUsage cachedTokens(long cachedTokens) {
      return new OpenAiChatUsage(
          model, promptTokens, cachedTokens, completionTokens, reasoningTokens, userId);
    }

    /** {@code usage.completion_tokens}: every generated token, reasoning included. */
    public OpenAiChatUsage completionTokens(long completionTokens) {
      return new OpenAiChatUsage(
          model, promptTokens, cachedTokens, completionTokens, reasoningTokens, userId);
    }

    /** {@code usage.completion_tokens_details.reasoning_tokens}: the part spent reasoning. */
    public OpenAiChatUsage reasoningTokens(long reasoningTokens) {
      return new OpenAiChatUsage(
          model, promptTokens, cachedTokens, completionTokens, reasoningTokens, userId);
    }

    /** The same usage, attributed to a user (for cost per user, never a label). */
    public OpenAiChatUsage forUser(@Nullable String userId) {
      return new OpenAiChatUsage(
          model, promptTokens, cachedTokens, completionTokens, reasoningTokens, userId);
    }

    @Override
    public String kpiType() {
      return TokenSpend.TYPE;
    }
  }

  /** See {@link Kpi#openAiResponsesUsage(String)}. A field never set counts as 0. */
  record OpenAiResponsesUsage(
      @Nullable String model,
      long inputTokens,
      long cachedTokens,
      long outputTokens,
      long reasoningTokens,
      @Nullable String userId)
      implements Kpi {

    /** {@code usage.input_tokens}: every input token, cached ones included. */
    public OpenAiResponsesUsage inputTokens(long inputTokens) {
      return new OpenAiResponsesUsage(
          model, inputTokens, cachedTokens, outputTokens, reasoningTokens, userId);
    }

    /** {@code usage.input_tokens_details.cached_tokens}: the part of the input read from cache. */
    public OpenAiResponsesUsage cachedTokens(long cachedTokens) {
      return new OpenAiResponsesUsage(
          model, inputTokens, cachedTokens, outputTokens, reasoningTokens, userId);
    }

    /** {@code usage.output_tokens}: every generated token, reasoning included. */
    public OpenAiResponsesUsage outputTokens(long outputTokens) {
      return new OpenAiResponsesUsage(
          model, inputTokens, cachedTokens, outputTokens, reasoningTokens, userId);
    }

    /** {@code usage.output_tokens_details.reasoning_tokens}: the part spent reasoning. */
    public OpenAiResponsesUsage reasoningTokens(long reasoningTokens) {
      return new OpenAiResponsesUsage(
          model, inputTokens, cachedTokens, outputTokens, reasoningTokens, userId);
    }

    /** The same usage, attributed to a user (for cost per user, never a label). */
    public OpenAiResponsesUsage forUser(@Nullable String userId) {
      return new OpenAiResponsesUsage(
          model, inputTokens, cachedTokens, outputTokens, reasoningTokens, userId);
    }

    @Override
    public String kpiType() {
      return TokenSpend.TYPE;
    }
  }

  /**
   * See {@link Kpi#anthropicUsage(String)}. A field never set counts as 0.
   *
   * @param cacheCreationInputTokens every cache write, 5-minute and 1-hour
   * @param ephemeral1hInputTokens the part of the cache writes with a 1-hour lifetime
   */
  record AnthropicUsage(
      @Nullable String model,
      long inputTokens,
      long cacheCreationInputTokens,
      long cacheReadInputTokens,
      long outputTokens,
      long ephemeral1hInputTokens,
      @Nullable String userId)
      implements Kpi {

    /** {@code usage.input_tokens}: the input tokens neither read from nor written to the cache. */
    public AnthropicUsage inputTokens(long inputTokens) {
      return new AnthropicUsage(
          model,
          inputTokens,
          cacheCreationInputTokens,
          cacheReadInputTokens,
          outputTokens,
          ephemeral1hInputTokens,
          userId);
    }

    /**
     * {@code usage.cache_creation_input_tokens}: input tokens written to the cache, all priced as
     * 5-minute writes unless {@link #cacheCreation(long, long)} gives the split.
     */
    public AnthropicUsage cacheCreationInputTokens(long cacheCreationInputTokens) {
      return new AnthropicUsage(
          model,
          inputTokens,
          cacheCreationInputTokens,
          cacheReadInputTokens,
          outputTokens,
          0,
          userId);
    }

    /**
     * {@code usage.cache_creation.ephemeral_5m_input_tokens} and {@code ephemeral_1h_input_tokens}:
     * the cache writes by lifetime (1-hour writes cost more); their sum is {@code
     * cache_creation_input_tokens}.
     */
    public AnthropicUsage cacheCreation(long ephemeral5mInputTokens, long ephemeral1hInputTokens) {
      // A negative part stays negative and a sum past the largest count stays past it, so the
      // check at tracking time reports it as given.
      long total =
          ephemeral5mInputTokens < 0 || ephemeral1hInputTokens < 0
              ? Math.min(ephemeral5mInputTokens, ephemeral1hInputTokens)
              : ephemeral5mInputTokens > Long.MAX_VALUE - ephemeral1hInputTokens
                  ? Long.MAX_VALUE
                  : ephemeral5mInputTokens + ephemeral1hInputTokens;
      return new AnthropicUsage(
          model,
          inputTokens,
          total,
          cacheReadInputTokens,
          outputTokens,
          ephemeral1hInputTokens,
          userId);
    }

    /** {@code usage.cache_read_input_tokens}: input tokens read from the cache. */
    public AnthropicUsage cacheReadInputTokens(long cacheReadInputTokens) {
      return new AnthropicUsage(
          model,
          inputTokens,
          cacheCreationInputTokens,
          cacheReadInputTokens,
          outputTokens,
          ephemeral1hInputTokens,
          userId);
    }

    /** {@code usage.output_tokens}: generated tokens, extended thinking included. */
    public AnthropicUsage outputTokens(long outputTokens) {
      return new AnthropicUsage(
          model,
          inputTokens,
          cacheCreationInputTokens,
          cacheReadInputTokens,
          outputTokens,
          ephemeral1hInputTokens,
          userId);
    }

    /** The same usage, attributed to a user (for cost per user, never a label). */
    public AnthropicUsage forUser(@Nullable String userId) {
      return new AnthropicUsage(
          model,
          inputTokens,
          cacheCreationInputTokens,
          cacheReadInputTokens,
          outputTokens,
          ephemeral1hInputTokens,
          userId);
    }

    @Override
    public String kpiType() {
      return TokenSpend.TYPE;
    }
  }

  /** See {@link Kpi#geminiUsage(String)}. A field never set counts as 0. */
  record GeminiUsage(
      @Nullable String model,
      long promptTokenCount,
      long cachedContentTokenCount,
      long candidatesTokenCount,
      long thoughtsTokenCount,
      long toolUsePromptTokenCount,
      @Nullable String userId)
      implements Kpi {

    /** {@code usageMetadata.promptTokenCount}: the whole prompt, cached content included. */
    public GeminiUsage promptTokenCount(long promptTokenCount) {
      return new GeminiUsage(
          model,
          promptTokenCount,
          cachedContentTokenCount,
          candidatesTokenCount,
          thoughtsTokenCount,
          toolUsePromptTokenCount,
          userId);
    }

    /** {@code usageMetadata.cachedContentTokenCount}: the part of the prompt read from cache. */
    public GeminiUsage cachedContentTokenCount(long cachedContentTokenCount) {
      return new GeminiUsage(
          model,
          promptTokenCount,
          cachedContentTokenCount,
          candidatesTokenCount,
          thoughtsTokenCount,
          toolUsePromptTokenCount,
          userId);
    }

    /** {@code usageMetadata.candidatesTokenCount}: the generated response, thoughts excluded. */
    public GeminiUsage candidatesTokenCount(long candidatesTokenCount) {
      return new GeminiUsage(
          model,
          promptTokenCount,
          cachedContentTokenCount,
          candidatesTokenCount,
          thoughtsTokenCount,
          toolUsePromptTokenCount,
          userId);
    }

    /** {@code usageMetadata.thoughtsTokenCount}: thinking tokens, billed as output. */
    public GeminiUsage thoughtsTokenCount(long thoughtsTokenCount) {
      return new GeminiUsage(
          model,
          promptTokenCount,
          cachedContentTokenCount,
          candidatesTokenCount,
          thoughtsTokenCount,
          toolUsePromptTokenCount,
          userId);
    }

    /** {@code usageMetadata.toolUsePromptTokenCount}: tool results fed back, billed as input. */
    public GeminiUsage toolUsePromptTokenCount(long toolUsePromptTokenCount) {
      return new GeminiUsage(
          model,
          promptTokenCount,
          cachedContentTokenCount,
          candidatesTokenCount,
          thoughtsTokenCount,
          toolUsePromptTokenCount,
          userId);
    }

    /** The same usage, attributed to a user (for cost per user, never a label). */
    public GeminiUsage forUser(@Nullable String userId) {
      return new GeminiUsage(
          model,
          promptTokenCount,
          cachedContentTokenCount,
          candidatesTokenCount,
          thoughtsTokenCount,
          toolUsePromptTokenCount,
          userId);
    }

    @Override
    public String kpiType() {
      return TokenSpend.TYPE;
    }
  }

  /**
   * The tokens of one model call by kind, in OpenTelemetry's terms (see {@link
   * Kpi#tokenUsage(String)}). A field never set counts as 0.
   *
   * <p><b>Token kinds.</b> Every usage entry point counts each token once, in exactly one {@code
   * type} of {@code token_spend_total}: {@code input} (input billed at the full rate), {@code
   * cache_read}, {@code cache_write} and {@code cache_write_1h} (the rest of the input), {@code
   * output} (output but reasoning) and {@code reasoning}. So summing by {@code type} never counts a
   * token twice; all input is {@code input + cache_read + cache_write + cache_write_1h}, all output
   * {@code output + reasoning}. A part larger than its whole (cache reads above the input,
   * reasoning above the output) is bad input: counted, warned about, capped at the whole.
   */
  record TokenUsage(
      @Nullable String model,
      long inputTokens,
      long cacheReadTokens,
      long cacheWriteTokens,
      long outputTokens,
      long reasoningTokens,
      @Nullable String userId)
      implements Kpi {

    /** All input tokens, the cache reads and writes included. */
    public TokenUsage inputTokens(long inputTokens) {
      return new TokenUsage(
          model,
          inputTokens,
          cacheReadTokens,
          cacheWriteTokens,
          outputTokens,
          reasoningTokens,
          userId);
    }

    /** The part of the input read from the provider's cache. */
    public TokenUsage cacheReadTokens(long cacheReadTokens) {
      return new TokenUsage(
          model,
          inputTokens,
          cacheReadTokens,
          cacheWriteTokens,
          outputTokens,
          reasoningTokens,
          userId);
    }

    /** The part of the input written to the provider's cache. */
    public TokenUsage cacheWriteTokens(long cacheWriteTokens) {
      return new TokenUsage(
          model,
          inputTokens,
          cacheReadTokens,
          cacheWriteTokens,
          outputTokens,
          reasoningTokens,
          userId);
    }

    /** All output tokens, reasoning included. */
    public TokenUsage outputTokens(long outputTokens) {
      return new TokenUsage(
          model,
          inputTokens,
          cacheReadTokens,
          cacheWriteTokens,
          outputTokens,
          reasoningTokens,
          userId);
    }

    /** The part of the output spent reasoning. */
    public TokenUsage reasoningTokens(long reasoningTokens) {
      return new TokenUsage(
          model,
          inputTokens,
          cacheReadTokens,
          cacheWriteTokens,
          outputTokens,
          reasoningTokens,
          userId);
    }

    /** The same usage, attributed to a user (for cost per user, never a label). */
    public TokenUsage forUser(@Nullable String userId) {
      return new TokenUsage(
          model,
          inputTokens,
          cacheReadTokens,
          cacheWriteTokens,
          outputTokens,
          reasoningTokens,
          userId);
    }

    @Override
    public String kpiType() {
      return TokenSpend.TYPE;
    }
  }
}
