package dev.vigil.internal;

import java.math.BigDecimal;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The KPI events of one {@code Monitoring}: each typed or untyped {@code trackKpi} ends in {@link
 * #record} or {@link #usage}, which check the numbers, count the event in its family and hand it to
 * the listeners of its kind (distinct users, cost, revenue, the alerts, {@code KpiObserver}s).
 * Labels are checked by the families.
 */
public final class KpiDispatch {
  private final InputGuard guard;
  private final BiConsumer<String, Throwable> internalError;
  private final CounterFamily activeUsers;
  private final CounterFamily generationSuccess;
  private final CounterFamily generationFailure;
  private final CounterFamily tokenSpend;
  private final UsageFamily usageByModel;
  private final CounterFamily paymentConversions;
  private final CounterFamily paymentFailures;
  // One array per event kind, holding only the listeners that handle that kind: a call site with
  // one receiver class is inlined by the JIT, where one that sees every listener would not be.
  private volatile KpiListener[] activeUserListeners = new KpiListener[0];
  private volatile KpiListener[] generationListeners = new KpiListener[0];
  private volatile KpiListener[] tokenSpendListeners = new KpiListener[0];
  private volatile KpiListener[] usageListeners = new KpiListener[0];
  private volatile KpiListener[] conversionListeners = new KpiListener[0];
  private volatile KpiListener[] paymentFailureListeners = new KpiListener[0];

  /**
   * Set once, for a {@code Monitoring.disabled(..)}, before the Monitoring is published (it reaches
   * this object through a final field, so every thread sees the write).
   */
  private boolean off;

  KpiDispatch(
      InputGuard guard,
      BiConsumer<String, Throwable> internalError,
      CounterFamily activeUsers,
      CounterFamily generationSuccess,
      CounterFamily generationFailure,
      CounterFamily tokenSpend,
      UsageFamily usageByModel,
      CounterFamily paymentConversions,
      CounterFamily paymentFailures) {
    this.guard = guard;
    this.internalError = internalError;
    this.activeUsers = activeUsers;
    this.generationSuccess = generationSuccess;
    this.generationFailure = generationFailure;
    this.tokenSpend = tokenSpend;
    this.usageByModel = usageByModel;
    this.paymentConversions = paymentConversions;
    this.paymentFailures = paymentFailures;
  }

  public synchronized void addListener(KpiListener listener) {
    if (handles(listener, "activeUser", String.class)) {
      activeUserListeners = append(activeUserListeners, listener);
    }
    if (handles(listener, "generation", String.class, boolean.class, String.class)) {
      generationListeners = append(generationListeners, listener);
    }
    if (handles(
        listener,
        "tokenSpend",
        long.class,
        String.class,
        String.class,
        String.class,
        CounterCell.class)) {
      tokenSpendListeners = append(tokenSpendListeners, listener);
    }
    if (handles(
        listener,
        "tokenUsage",
        UsageCell.class,
        String.class,
        long.class,
        long.class,
        long.class,
        long.class,
        long.class,
        long.class,
        long.class)) {
      usageListeners = append(usageListeners, listener);
    }
    if (handles(
        listener,
        "paymentConversion",
        String.class,
        String.class,
        BigDecimal.class,
        String.class)) {
      conversionListeners = append(conversionListeners, listener);
    }
    if (handles(listener, "paymentFailure", String.class, String.class, String.class)) {
      paymentFailureListeners = append(paymentFailureListeners, listener);
    }
  }

  /** Every event from now on is dropped without a look: the Monitoring is disabled. */
  public void turnOff() {
    off = true;
  }

  private static KpiListener[] append(KpiListener[] current, KpiListener listener) {
    KpiListener[] next = java.util.Arrays.copyOf(current, current.length + 1);
    next[current.length] = listener;
    return next;
  }

  /** Whether the listener overrides the interface's no-op for this event kind. */
  private static boolean handles(KpiListener listener, String method, Class<?>... parameters) {
    try {
      return listener.getClass().getMethod(method, parameters).getDeclaringClass()
          != KpiListener.class;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("KpiListener." + method + " changed signature", e);
    }
  }

  /** Event kinds for {@link #record}. */
  public static final int ACTIVE_USER = 0;

  public static final int GENERATION_SUCCESS = 1;
  public static final int GENERATION_FAILURE = 2;
  public static final int TOKEN_SPEND = 3;
  public static final int PAYMENT_CONVERSION = 4;
  public static final int PAYMENT_FAILURE = 5;

  /**
   * The one entry point for KPI events, with the event's fields passed as scalars.
   *
   * <table>
   *   <caption>Arguments by kind</caption>
   *   <tr><th>kind</th><th>number</th><th>a</th><th>b</th><th>c</th><th>amount</th></tr>
   *   <tr><td>ACTIVE_USER</td><td>-</td><td>userId</td><td>-</td><td>-</td><td>-</td></tr>
   *   <tr><td>GENERATION_SUCCESS</td><td>-</td><td>type</td><td>-</td><td>-</td><td>-</td></tr>
   *   <tr><td>GENERATION_FAILURE</td><td>-</td><td>type</td><td>errorType</td><td>-</td>
   *       <td>-</td></tr>
   *   <tr><td>TOKEN_SPEND</td><td>tokens</td><td>model</td><td>type</td><td>userId</td>
   *       <td>-</td></tr>
   *   <tr><td>PAYMENT_CONVERSION</td><td>-</td><td>paymentMethod</td><td>plan</td>
   *       <td>currency</td><td>amount</td></tr>
   *   <tr><td>PAYMENT_FAILURE</td><td>-</td><td>paymentId</td><td>paymentMethod</td>
   *       <td>errorType</td><td>-</td></tr>
   * </table>
   *
   * <p>Why one big method: HotSpot's C2 will not inline a method whose bytecode is larger than
   * {@code FreqInlineSize} (325 bytes). Keeping every event's work here, above that size, keeps the
   * public {@code trackKpi} overloads tiny once compiled, so C2 inlines them into application code
   * and scalar-replaces the {@code Kpi} object: tracking allocates nothing. If the work were
   * inlined into {@code trackKpi} instead, its compiled form would grow past {@code
   * InlineSmallCode} and C2 would refuse to inline it ("already compiled into a big method"),
   * leaving a 32-byte allocation per event. {@code RecordEntryPointTest} guards the size.
   *
   * <p>Never throws, except {@link IllegalArgumentException} in strict mode.
   */
  public void record(
      int kind,
      long number,
      @Nullable String a,
      @Nullable String b,
      @Nullable String c,
      @Nullable BigDecimal amount) {
    if (off) {
      return;
    }
    try {
      switch (kind) {
        case TOKEN_SPEND:
          if (number <= 0 || number > MAX_TOKENS_PER_EVENT) {
            badTokens(number);
            return;
          }
          CounterCell tokens = tokenSpend.series(a, b);
          if (tokens == null) {
            return;
          }
          if (!tokens.add(number)) {
            saturated(tokenSpend, number);
            return;
          }
          for (KpiListener listener : tokenSpendListeners) {
            try {
              listener.tokenSpend(number, a, b, c, tokens);
            } catch (Throwable e) {
              listenerFailed(listener, e);
            }
          }
          return;
        case ACTIVE_USER:
          boolean identified = a != null && !a.isBlank();
          if (!identified) {
            guard.reject(
                "active_user",
                a == null ? InvalidReason.NULL_VALUE : InvalidReason.BLANK_VALUE,
                "active_user: userId is "
                    + (a == null ? "null" : "blank")
                    + "; the interaction is counted in active_users_total but cannot count as a"
                    + " distinct user. Pass the user's id, e.g."
                    + " Kpi.activeUser(String.valueOf(userId)).");
          }
          CounterCell users = activeUsers.series();
          if (users != null) {
            users.inc();
          }
          if (identified) {
            for (KpiListener listener : activeUserListeners) {
              try {
                listener.activeUser(a);
              } catch (Throwable e) {
                listenerFailed(listener, e);
              }
            }
          }
          return;
        case GENERATION_SUCCESS:
        case GENERATION_FAILURE:
          boolean success = kind == GENERATION_SUCCESS;
          CounterCell generations =
              success ? generationSuccess.series(a) : generationFailure.series(a, b);
          if (generations != null) {
            generations.inc();
          }
          for (KpiListener listener : generationListeners) {
            try {
              listener.generation(a, success, success ? null : b);
            } catch (Throwable e) {
              listenerFailed(listener, e);
            }
          }
          return;
        case PAYMENT_CONVERSION:
          CounterCell conversions = paymentConversions.series(a, b);
          if (conversions != null) {
            conversions.inc();
          }
          for (KpiListener listener : conversionListeners) {
            try {
              listener.paymentConversion(a, b, amount, c);
            } catch (Throwable e) {
              listenerFailed(listener, e);
            }
          }
          return;
        case PAYMENT_FAILURE:
          CounterCell failures = paymentFailures.series(b, c);
          if (failures != null) {
            failures.inc();
          }
          for (KpiListener listener : paymentFailureListeners) {
            try {
              listener.paymentFailure(a, b, c);
            } catch (Throwable e) {
              listenerFailed(listener, e);
            }
          }
          return;
        default:
          throw new IllegalStateException("unknown KPI kind " + kind);
      }
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      if (guard.strict() && e instanceof IllegalArgumentException) {
        throw (IllegalArgumentException) e;
      }
      internalError.accept("trackKpi", e);
    }
  }

  /** Shapes of provider usage objects for {@link #usage}. */
  public static final int OPENAI_CHAT = 0;

  public static final int OPENAI_RESPONSES = 1;
  public static final int ANTHROPIC = 2;
  public static final int GEMINI = 3;
  public static final int TOKEN_USAGE = 4;

  /**
   * The entry point of the provider usage objects: a usage of {@code shape}, its fields as scalars
   * in the order below, turned into token kinds so that each token is counted once.
   *
   * <table>
   *   <caption>Fields by shape</caption>
   *   <tr><th>shape</th><th>a</th><th>b</th><th>c</th><th>d</th><th>e</th></tr>
   *   <tr><td>OPENAI_CHAT</td><td>prompt_tokens</td><td>cached_tokens</td><td>-</td>
   *       <td>completion_tokens</td><td>reasoning_tokens</td></tr>
   *   <tr><td>OPENAI_RESPONSES</td><td>input_tokens</td><td>cached_tokens</td><td>-</td>
   *       <td>output_tokens</td><td>reasoning_tokens</td></tr>
   *   <tr><td>ANTHROPIC</td><td>input_tokens</td><td>cache_creation_input_tokens</td>
   *       <td>cache_read_input_tokens</td><td>output_tokens</td>
   *       <td>ephemeral_1h_input_tokens</td></tr>
   *   <tr><td>GEMINI</td><td>promptTokenCount</td><td>cachedContentTokenCount</td>
   *       <td>toolUsePromptTokenCount</td><td>candidatesTokenCount</td>
   *       <td>thoughtsTokenCount</td></tr>
   *   <tr><td>TOKEN_USAGE</td><td>inputTokens</td><td>cacheReadTokens</td>
   *       <td>cacheWriteTokens</td><td>outputTokens</td><td>reasoningTokens</td></tr>
   * </table>
   *
   * <p>Kept above C2's inlining size for the reason given at {@link #record}; {@code
   * RecordEntryPointTest} guards it. Never throws, except {@link IllegalArgumentException} in
   * strict mode.
   */
  public void usage(
      int shape,
      @Nullable String model,
      long a,
      long b,
      long c,
      long d,
      long e,
      @Nullable String userId) {
    if (off) {
      return;
    }
    try {
      if ((a | b | c | d | e) <= 0
          || a > MAX_TOKENS_PER_EVENT
          || b > MAX_TOKENS_PER_EVENT
          || c > MAX_TOKENS_PER_EVENT
          || d > MAX_TOKENS_PER_EVENT
          || e > MAX_TOKENS_PER_EVENT) {
        if (!usageCountsValid(shape, model, a, b, c, d, e)) {
          return;
        }
      }
      long input;
      long cacheRead;
      long cacheWrite;
      long cacheWrite1h = 0;
      long output;
      long reasoning;
      long request;
      switch (shape) {
        case OPENAI_CHAT:
        case OPENAI_RESPONSES:
          if (b > a) {
            b = partExceedsWhole(shape, model, 1, b, 0, a);
          }
          if (e > d) {
            e = partExceedsWhole(shape, model, 4, e, 3, d);
          }
          input = a - b;
          cacheRead = b;
          cacheWrite = 0;
          output = d - e;
          reasoning = e;
          request = a;
          break;
        case ANTHROPIC:
          if (e > b) {
            e = partExceedsWhole(shape, model, 4, e, 1, b);
          }
          input = a;
          cacheRead = c;
          cacheWrite = b - e;
          cacheWrite1h = e;
          output = d;
          reasoning = 0;
          request = a + b + c;
          break;
        case GEMINI:
          if (b > a) {
            b = partExceedsWhole(shape, model, 1, b, 0, a);
          }
          input = a - b + c;
          cacheRead = b;
          cacheWrite = 0;
          output = d;
          reasoning = e;
          request = a;
          break;
        default:
          if (b + c > a) {
            if (b > a) {
              b = partExceedsWhole(shape, model, 1, b, 0, a);
            }
            if (c > a - b) {
              c = partExceedsWhole(shape, model, 2, c, 0, a - b);
            }
          }
          if (e > d) {
            e = partExceedsWhole(shape, model, 4, e, 3, d);
          }
          input = a - b - c;
          cacheRead = b;
          cacheWrite = c;
          output = d - e;
          reasoning = e;
          request = a;
          break;
      }
      UsageCell usage = usageByModel.series(model);
      if (usage == null) {
        return;
      }
      if (usage.overflow) {
        usageByKind(model, userId, input, cacheRead, cacheWrite, cacheWrite1h, output, reasoning);
        return;
      }
      addTokens(usage, UsageCell.INPUT, input);
      addTokens(usage, UsageCell.CACHE_READ, cacheRead);
      addTokens(usage, UsageCell.CACHE_WRITE, cacheWrite);
      addTokens(usage, UsageCell.CACHE_WRITE_1H, cacheWrite1h);
      addTokens(usage, UsageCell.OUTPUT, output);
      addTokens(usage, UsageCell.REASONING, reasoning);
      for (KpiListener listener : usageListeners) {
        try {
          listener.tokenUsage(
              usage,
              userId,
              input,
              cacheRead,
              cacheWrite,
              cacheWrite1h,
              output,
              reasoning,
              request);
        } catch (Throwable t) {
          listenerFailed(listener, t);
        }
      }
    } catch (Throwable t) {
      Throwables.rethrowIfFatal(t);
      if (guard.strict() && t instanceof IllegalArgumentException) {
        throw (IllegalArgumentException) t;
      }
      internalError.accept("trackKpi", t);
    }
  }

  private void addTokens(UsageCell usage, int kind, long tokens) {
    if (tokens == 0) {
      return;
    }
    CounterCell cell = usage.series(kind);
    if (cell != null && !cell.add(tokens)) {
      saturated(tokenSpend, tokens);
    }
  }

  /**
   * Past the cap of models: each kind goes the way of a {@code Kpi.tokenSpend}, into the overflow
   * series with the cost of each event, as any other label set past the cap.
   */
  private void usageByKind(
      @Nullable String model,
      @Nullable String userId,
      long input,
      long cacheRead,
      long cacheWrite,
      long cacheWrite1h,
      long output,
      long reasoning) {
    long[] counts = {input, cacheRead, cacheWrite, cacheWrite1h, output, reasoning};
    for (int kind = 0; kind < counts.length; kind++) {
      if (counts[kind] > 0) {
        record(TOKEN_SPEND, counts[kind], model, UsageCell.label(kind), userId, null);
      }
    }
  }

  /** The provider's own field names, by shape, in the order of {@link #usage}'s fields. */
  private static final String[][] USAGE_FIELDS = {
    {"prompt_tokens", "cached_tokens", "", "completion_tokens", "reasoning_tokens"},
    {"input_tokens", "cached_tokens", "", "output_tokens", "reasoning_tokens"},
    {
      "input_tokens",
      "cache_creation_input_tokens",
      "cache_read_input_tokens",
      "output_tokens",
      "ephemeral_1h_input_tokens"
    },
    {
      "promptTokenCount",
      "cachedContentTokenCount",
      "toolUsePromptTokenCount",
      "candidatesTokenCount",
      "thoughtsTokenCount"
    },
    {"inputTokens", "cacheReadTokens", "cacheWriteTokens", "outputTokens", "reasoningTokens"}
  };

  private static final String[] USAGE_FACTORIES = {
    "Kpi.openAiChatUsage",
    "Kpi.openAiResponsesUsage",
    "Kpi.anthropicUsage",
    "Kpi.geminiUsage",
    "Kpi.tokenUsage"
  };

  /**
   * Out of line: a usage with a negative count, one past {@link #MAX_TOKENS_PER_EVENT} or nothing
   * at all is reported and dropped.
   */
  private boolean usageCountsValid(
      int shape, @Nullable String model, long a, long b, long c, long d, long e) {
    long[] values = {a, b, c, d, e};
    String[] fields = USAGE_FIELDS[shape];
    for (int i = 0; i < values.length; i++) {
      long v = values[i];
      if (v < 0 || v > MAX_TOKENS_PER_EVENT) {
        guard.reject(
            "token_spend",
            v < 0 ? InvalidReason.NEGATIVE_VALUE : InvalidReason.OUT_OF_RANGE,
            "token_spend: "
                + USAGE_FACTORIES[shape]
                + "("
                + Printable.text(model)
                + ") has "
                + fields[i]
                + " = "
                + v
                + (v < 0
                    ? ""
                    : ", more than Vigil counts in one event (" + MAX_TOKENS_PER_EVENT + ")")
                + "; event dropped. Pass the counts of the provider's usage object as reported,"
                + " and 0 for a field it leaves out.");
        return false;
      }
    }
    if ((a | b | c | d | e) == 0) {
      guard.reject(
          "token_spend",
          InvalidReason.ZERO_VALUE,
          "token_spend: "
              + USAGE_FACTORIES[shape]
              + "("
              + Printable.text(model)
              + ") has no tokens at all; event dropped. Set the usage fields with the builder's"
              + " methods, and skip the call when the provider reports no usage.");
      return false;
    }
    return true;
  }

  /**
   * A count that is part of another one is larger than it: reported, and capped at the whole, since
   * the whole is what the provider bills (cached tokens above prompt_tokens cannot all exist).
   */
  private long partExceedsWhole(
      int shape, @Nullable String model, int part, long given, int whole, long limit) {
    String[] fields = USAGE_FIELDS[shape];
    String partName = fields[part];
    String wholeName = fields[whole];
    if (shape == TOKEN_USAGE && part == 2) {
      wholeName = "inputTokens less cacheReadTokens";
    }
    guard.reject(
        "token_spend",
        InvalidReason.PART_EXCEEDS_TOTAL,
        "token_spend: "
            + USAGE_FACTORIES[shape]
            + "("
            + Printable.text(model)
            + ") has "
            + partName
            + " = "
            + given
            + ", more than "
            + wholeName
            + " = "
            + limit
            + ", which includes it; counted as "
            + limit
            + ". "
            + wholeName
            + " already counts the "
            + partName
            + ": pass both as the provider reports them, never one added to the other.");
    return limit;
  }

  /**
   * The most tokens one event may carry: a trillion, far beyond any single model call, and small
   * enough that the cost of one event fits in a long of nano-dollars for any price in the table.
   */
  public static final long MAX_TOKENS_PER_EVENT = 1_000_000_000_000L;

  /** Out of line, so that {@link #record}'s common path stays short. */
  private void badTokens(long number) {
    if (number > MAX_TOKENS_PER_EVENT) {
      tokensOutOfRange(Long.toString(number));
      return;
    }
    rejectTokens(
        number == 0 ? InvalidReason.ZERO_VALUE : InvalidReason.NEGATIVE_VALUE,
        Long.toString(number));
  }

  /** Tokens beyond {@link #MAX_TOKENS_PER_EVENT} in one event. */
  public void tokensOutOfRange(String given) {
    guard.reject(
        "token_spend",
        InvalidReason.OUT_OF_RANGE,
        "token_spend: "
            + given
            + " tokens in one event is more than Vigil counts (at most "
            + MAX_TOKENS_PER_EVENT
            + "); event dropped. Pass the tokens of one model call, as the provider reports"
            + " them; an uninitialised or summed counter looks like this.");
  }

  /** A counter series refused an increment that would take it past its largest value. */
  public void saturated(Family<?> family, long amount) {
    guard.reject(
        family.name(),
        InvalidReason.SATURATED,
        family.name()
            + ": a series reached the largest count Vigil keeps ("
            + CounterCell.SATURATION
            + "); this increment of "
            + amount
            + " was dropped and the series stays at its value. Counts this large mean a unit"
            + " mix-up or a loop: check what is being added.");
  }

  public void rejectTokens(InvalidReason reason, String given) {
    guard.reject(
        "token_spend",
        reason,
        "token_spend: tokens must be a positive whole number, got "
            + given
            + "; "
            + reason.action()
            + ". Track the usage your provider reports, e.g. Kpi.tokenSpend(usage.totalTokens(),"
            + " \"gpt-4\", \"completion\"), and skip the call when it is 0.");
  }

  private void listenerFailed(KpiListener listener, Throwable e) {
    Throwables.rethrowIfFatal(e);
    if (guard.strict() && e instanceof IllegalArgumentException) {
      // a listener's own bad-input check (InputGuard.reject) in strict mode
      throw (IllegalArgumentException) e;
    }
    internalError.accept(listener.getClass().getName(), e);
  }
}
