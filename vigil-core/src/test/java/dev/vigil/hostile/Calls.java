package dev.vigil.hostile;

import dev.vigil.AiBudget;
import dev.vigil.JobTimer;
import dev.vigil.Kpi;
import dev.vigil.KpiCounter;
import dev.vigil.KpiGauge;
import dev.vigil.KpiHistogram;
import dev.vigil.LogContext;
import dev.vigil.Monitoring;
import dev.vigil.Pricing;
import dev.vigil.Redactor;
import dev.vigil.alert.Alert;
import dev.vigil.alert.Severity;
import dev.vigil.hostile.Hostile.Value;
import dev.vigil.http.HttpInstrumentation;
import dev.vigil.http.RequestReader;
import dev.vigil.http.RequestScope;
import dev.vigil.http.RouteNormalizer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every public entry point of Vigil, called with hostile values: one generator per call shape,
 * weighted towards the calls a service makes most. A {@link Call} names what it passes, so a
 * failure report reads as code.
 */
final class Calls {
  /** What the calls run against: one monitoring and what was declared on it. */
  static final class Target {
    final Monitoring monitoring;
    final KpiCounter counter0;
    final KpiCounter counter2;
    final KpiGauge gauge;
    final KpiHistogram histogram;
    final HttpInstrumentation http;

    Target(Monitoring monitoring) {
      this.monitoring = monitoring;
      this.counter0 = monitoring.metrics().counter("fuzz_plain_total").register();
      this.counter2 =
          monitoring
              .metrics()
              .counter("fuzz_signups_total")
              .labelNames("channel", "plan")
              .register();
      this.gauge = monitoring.metrics().gauge("fuzz_backlog").labelNames("priority").register();
      this.histogram =
          monitoring
              .metrics()
              .histogram("fuzz_prompt_length_chars")
              .labelNames("type")
              .buckets(100, 500, 1000)
              .register();
      this.http = HttpInstrumentation.builder(monitoring).errorHeaders("User-Agent").build();
    }
  }

  /** How a call may end. */
  enum Kind {
    /** A recording call: never throws (strict mode: only IllegalArgumentException). */
    RECORD,
    /** Configuration: may throw IllegalArgumentException or NullPointerException naming it. */
    CONFIGURE,
    /** Runs the caller's job: may throw exactly what the job threw, and nothing else. */
    JOB
  }

  /**
   * One generated call.
   *
   * @param expected for a {@link Kind#JOB}, what the job throws and the call must rethrow as it is
   */
  record Call(String code, Kind kind, Action action, Throwable expected) {
    Call(String code, Kind kind, Action action) {
      this(code, kind, action, null);
    }

    @Override
    public String toString() {
      return code;
    }
  }

  /** The call itself. */
  @FunctionalInterface
  interface Action {
    void run(Target target) throws Throwable;
  }

  static final List<String> KPI_FIELDS =
      List.of(
          "userId",
          "type",
          "errorType",
          "tokens",
          "model",
          "paymentMethod",
          "plan",
          "paymentId",
          "amount",
          "currency");

  private static final String[] USAGE_SHAPES = {
    "Kpi.openAiChatUsage",
    "Kpi.openAiResponsesUsage",
    "Kpi.anthropicUsage",
    "Kpi.geminiUsage",
    "Kpi.tokenUsage"
  };

  static final List<String> USAGE_FIELDS =
      List.of(
          "prompt_tokens",
          "completion_tokens",
          "prompt_tokens_details",
          "input_tokens",
          "output_tokens",
          "cache_creation_input_tokens",
          "cache_read_input_tokens",
          "cache_creation",
          "promptTokenCount",
          "cachedContentTokenCount",
          "candidatesTokenCount",
          "thoughtsTokenCount",
          "audio_tokens");

  /** One usage object of {@code shape}, with its five counts in {@code KpiDispatch.usage} order. */
  static Kpi usage(int shape, String model, long a, long b, long c, long d, long e, String userId) {
    switch (shape) {
      case 0:
        return Kpi.openAiChatUsage(model)
            .promptTokens(a)
            .cachedTokens(b)
            .completionTokens(d)
            .reasoningTokens(e)
            .forUser(userId);
      case 1:
        return Kpi.openAiResponsesUsage(model)
            .inputTokens(a)
            .cachedTokens(b)
            .outputTokens(d)
            .reasoningTokens(e)
            .forUser(userId);
      case 2:
        return Kpi.anthropicUsage(model)
            .inputTokens(a)
            .cacheCreation(b, e)
            .cacheReadInputTokens(c)
            .outputTokens(d)
            .forUser(userId);
      case 3:
        return Kpi.geminiUsage(model)
            .promptTokenCount(a)
            .cachedContentTokenCount(b)
            .toolUsePromptTokenCount(c)
            .candidatesTokenCount(d)
            .thoughtsTokenCount(e)
            .forUser(userId);
      default:
        return Kpi.tokenUsage(model)
            .inputTokens(a)
            .cacheReadTokens(b)
            .cacheWriteTokens(c)
            .outputTokens(d)
            .reasoningTokens(e)
            .forUser(userId);
    }
  }

  private static final List<String> KPI_TYPES =
      List.of(
          "active_user",
          "generation_success",
          "generation_failure",
          "token_spend",
          "payment_conversion",
          "payment_failure",
          " token_spend ",
          "nonsense");

  private final List<Function<Hostile, Call>> generators = new ArrayList<>();

  Calls() {
    // trackKpi, typed: the hot path, drawn most often
    add(
        6,
        h -> {
          Value<String> m = h.string();
          Value<String> t = h.string();
          Value<String> u = h.string();
          long tokens = h.longValue();
          boolean forUser = h.chance(40);
          return record(
              "trackKpi(Kpi.tokenSpend("
                  + tokens
                  + "L, "
                  + m.shown()
                  + ", "
                  + t.shown()
                  + ")"
                  + (forUser ? ".forUser(" + u.shown() + ")" : "")
                  + ")",
              x -> {
                Kpi.TokenSpend k = Kpi.tokenSpend(tokens, m.value(), t.value());
                x.monitoring.trackKpi(forUser ? k.forUser(u.value()) : k);
              });
        });
    add(
        3,
        h -> {
          Value<String> u = h.string();
          return record(
              "trackKpi(Kpi.activeUser(" + u.shown() + "))",
              x -> x.monitoring.trackKpi(Kpi.activeUser(u.value())));
        });
    add(
        2,
        h -> {
          Value<String> t = h.string();
          return record(
              "trackKpi(Kpi.generationSuccess(" + t.shown() + "))",
              x -> x.monitoring.trackKpi(Kpi.generationSuccess(t.value())));
        });
    add(
        2,
        h -> {
          Value<String> t = h.string();
          Value<String> e = h.string();
          return record(
              "trackKpi(Kpi.generationFailure(" + t.shown() + ", " + e.shown() + "))",
              x -> x.monitoring.trackKpi(Kpi.generationFailure(t.value(), e.value())));
        });
    add(
        1,
        h -> {
          Value<String> t = h.string();
          Value<Throwable> e = h.throwable();
          return record(
              "trackKpi(Kpi.generationFailure(" + t.shown() + ", " + e.shown() + "))",
              x -> x.monitoring.trackKpi(Kpi.generationFailure(t.value(), e.value())));
        });
    add(
        3,
        h -> {
          Value<String> pm = h.string();
          Value<String> plan = h.string();
          Value<BigDecimal> amount = h.decimal();
          Value<String> currency =
              h.chance(70)
                  ? h.pick(
                      List.of(
                          new Value<>("USD", "\"USD\""),
                          new Value<>("jpy", "\"jpy\""),
                          new Value<>("XXX", "\"XXX\"")))
                  : h.string();
          return record(
              "trackKpi(Kpi.paymentConversion("
                  + pm.shown()
                  + ", "
                  + plan.shown()
                  + ", "
                  + amount.shown()
                  + ", "
                  + currency.shown()
                  + "))",
              x ->
                  x.monitoring.trackKpi(
                      Kpi.paymentConversion(
                          pm.value(), plan.value(), amount.value(), currency.value())));
        });
    add(
        2,
        h -> {
          Value<String> id = h.string();
          Value<String> pm = h.string();
          Value<String> e = h.string();
          return record(
              "trackKpi(Kpi.paymentFailure("
                  + id.shown()
                  + ", "
                  + pm.shown()
                  + ", "
                  + e.shown()
                  + "))",
              x -> x.monitoring.trackKpi(Kpi.paymentFailure(id.value(), pm.value(), e.value())));
        });
    add(1, h -> record("trackKpi((Kpi) null)", x -> x.monitoring.trackKpi((Kpi) null)));
    add(
        1,
        h ->
            record(
                "trackKpi((Kpi.TokenSpend) null)",
                x -> x.monitoring.trackKpi((Kpi.TokenSpend) null)));
    // trackKpi, the provider usage objects: every shape, hostile counts and labels
    add(
        5,
        h -> {
          Value<String> m = h.string();
          Value<String> u = h.string();
          long a = h.longValue();
          long b = h.chance(50) ? h.longValue() : 0;
          long c = h.chance(30) ? h.longValue() : 0;
          long d = h.longValue();
          long e = h.chance(30) ? h.longValue() : 0;
          int shape = h.nextInt(USAGE_SHAPES.length);
          boolean forUser = h.chance(40);
          return record(
              "trackKpi("
                  + USAGE_SHAPES[shape]
                  + "("
                  + m.shown()
                  + ", "
                  + a
                  + "L, "
                  + b
                  + "L, "
                  + c
                  + "L, "
                  + d
                  + "L, "
                  + e
                  + "L)"
                  + (forUser ? ".forUser(" + u.shown() + ")" : "")
                  + ")",
              x ->
                  x.monitoring.trackKpi(
                      usage(shape, m.value(), a, b, c, d, e, forUser ? u.value() : null)));
        });
    add(
        2,
        h -> {
          Value<String> m = h.string();
          Value<Map<String, Object>> usage = h.map(USAGE_FIELDS);
          Value<String> provider =
              h.chance(70)
                  ? h.pick(
                      List.of(
                          new Value<>(null, "null"),
                          new Value<>("openai", "\"openai\""),
                          new Value<>("anthropic", "\"anthropic\""),
                          new Value<>("gemini", "\"gemini\"")))
                  : h.string();
          return record(
              "trackKpi(\"token_spend\", {model="
                  + m.shown()
                  + ", provider="
                  + provider.shown()
                  + ", usage="
                  + usage.shown()
                  + "})",
              x -> {
                Map<String, Object> data = new java.util.HashMap<>();
                data.put("model", m.value());
                data.put("provider", provider.value());
                data.put("usage", usage.value());
                x.monitoring.trackKpi("token_spend", data);
              });
        });
    // trackKpi, untyped
    add(
        5,
        h -> {
          String type = h.chance(85) ? h.pick(KPI_TYPES) : h.string().value();
          Value<Map<String, Object>> data = h.map(KPI_FIELDS);
          return record(
              "trackKpi("
                  + (type == null ? "null" : Hostile.show(type))
                  + ", "
                  + data.shown()
                  + ")",
              x -> x.monitoring.trackKpi(type, data.value()));
        });
    // metrics(): queues
    add(
        2,
        h -> {
          Value<String> q = h.string();
          Value<String> j = h.string();
          boolean close = h.chance(50);
          return record(
              "metrics().startJobTimer("
                  + q.shown()
                  + ", "
                  + j.shown()
                  + ")."
                  + (close ? "close()" : "stop() twice"),
              x -> {
                JobTimer timer = x.monitoring.metrics().startJobTimer(q.value(), j.value());
                if (close) {
                  timer.close();
                } else {
                  timer.stop();
                  timer.stop();
                }
              });
        });
    add(
        1,
        h -> {
          Value<String> q = h.string();
          long n = h.longValue();
          return record(
              "metrics().setActiveJobs(" + q.shown() + ", " + n + "L)",
              x -> x.monitoring.metrics().setActiveJobs(q.value(), n));
        });
    add(
        1,
        h -> {
          Value<String> q = h.string();
          Value<Throwable> e = h.throwable();
          Value<String> s = h.string();
          boolean asThrowable = h.chance(50);
          return record(
              "metrics().trackQueueFailure("
                  + q.shown()
                  + ", "
                  + (asThrowable ? e.shown() : s.shown())
                  + ")",
              x -> {
                if (asThrowable) {
                  x.monitoring.metrics().trackQueueFailure(q.value(), e.value());
                } else {
                  x.monitoring.metrics().trackQueueFailure(q.value(), s.value());
                }
              });
        });
    add(2, this::job);
    add(
        1,
        h -> {
          Value<String> m = h.string();
          Value<String> r = h.string();
          int status = h.intValue();
          long nanos = h.longValue();
          return record(
              "metrics().recordHttpRequest("
                  + m.shown()
                  + ", "
                  + r.shown()
                  + ", "
                  + status
                  + ", "
                  + nanos
                  + "L)",
              x -> x.monitoring.metrics().recordHttpRequest(m.value(), r.value(), status, nanos));
        });
    // metrics(): custom KPIs, null arrays included
    add(
        3,
        h -> {
          Value<String[]> labels = h.labels(2);
          double amount = h.doubleValue();
          int shape = h.nextInt(4);
          return record(
              new String[] {
                    "counter.inc(" + labels.shown() + ")",
                    "counter.add(" + amount + ", " + labels.shown() + ")",
                    "counter0.inc()",
                    "counter.inc(a, b) with " + labels.shown()
                  }
                  [shape],
              x -> {
                String[] l = labels.value();
                switch (shape) {
                  case 0:
                    x.counter2.inc(l);
                    break;
                  case 1:
                    x.counter2.add(amount, l);
                    break;
                  case 2:
                    x.counter0.inc();
                    break;
                  default:
                    x.counter2.inc(
                        l == null || l.length < 1 ? null : l[0],
                        l == null || l.length < 2 ? null : l[1]);
                }
              });
        });
    add(
        2,
        h -> {
          Value<String[]> labels = h.labels(1);
          double v = h.doubleValue();
          boolean set = h.chance(50);
          return record(
              "gauge." + (set ? "set" : "add") + "(" + v + ", " + labels.shown() + ")",
              x -> {
                if (set) {
                  x.gauge.set(v, labels.value());
                } else {
                  x.gauge.add(v, labels.value());
                }
              });
        });
    add(
        2,
        h -> {
          Value<String[]> labels = h.labels(1);
          double v = h.doubleValue();
          boolean timer = h.chance(30);
          return record(
              timer
                  ? "histogram.startTimer(" + labels.shown() + ").close()"
                  : "histogram.observe(" + v + ", " + labels.shown() + ")",
              x -> {
                if (timer) {
                  x.histogram.startTimer(labels.value()).close();
                } else {
                  x.histogram.observe(v, labels.value());
                }
              });
        });
    add(
        1,
        h -> {
          Value<String> name =
              h.chance(60)
                  ? new Value<>("fuzz_signups_total", "\"fuzz_signups_total\"")
                  : h.string();
          return new Call(
              "metrics().counter("
                  + name.shown()
                  + ").labelNames(\"channel\", \"plan\").register()",
              Kind.CONFIGURE,
              x ->
                  x.monitoring
                      .metrics()
                      .counter(name.value())
                      .labelNames("channel", "plan")
                      .register());
        });
    // alerts()
    add(3, this::alert);
    add(1, this::pricingFile);
    add(1, this::budget);
    add(
        1,
        h -> {
          Value<String> type =
              h.chance(70) ? new Value<>("fuzz_probe_other", "\"fuzz_probe_other\"") : h.string();
          Value<String> message = h.string();
          Value<String> field = h.chance(70) ? new Value<>("provider", "\"provider\"") : h.string();
          Value<String> group = h.string();
          Value<Object> ctx = h.object();
          Value<Throwable> error = h.throwable();
          boolean nullSeverity = h.chance(3);
          return new Call(
              "Alert.builder("
                  + type.shown()
                  + ", "
                  + (nullSeverity ? "null" : "WARNING")
                  + ", "
                  + message.shown()
                  + ").groupBy("
                  + field.shown()
                  + ", "
                  + group.shown()
                  + ").context(\"k\", "
                  + ctx.shown()
                  + ").error("
                  + error.shown()
                  + ").build() then alerts().send(..)",
              Kind.CONFIGURE,
              x -> {
                Alert alert =
                    Alert.builder(
                            type.value(), nullSeverity ? null : Severity.WARNING, message.value())
                        .groupBy(field.value(), group.value())
                        .context("k", ctx.value())
                        .error(error.value())
                        .build();
                x.monitoring.alerts().send(alert);
              });
        });
    // errors
    add(
        2,
        h -> {
          Value<Throwable> e = h.throwable();
          Value<Map<String, Object>> ctx = h.map(List.of("userId", "password", "nested", "amount"));
          int which = h.nextInt(3);
          return record(
              new String[] {"handleError", "handleError", "handleCriticalError"}[which]
                  + "("
                  + e.shown()
                  + (which == 1 ? "" : ", " + ctx.shown())
                  + ")",
              x -> {
                if (which == 0) {
                  x.monitoring.handleError(e.value(), ctx.value());
                } else if (which == 1) {
                  x.monitoring.handleError(e.value());
                } else {
                  x.monitoring.handleCriticalError(e.value(), ctx.value());
                }
              });
        });
    // logs
    add(
        2,
        h -> {
          Value<String> msg = h.string();
          Value<Map<String, Object>> fields = h.map(List.of("userId", "text", "token", "amount"));
          Value<Throwable> e = h.throwable();
          Value<Object> field = h.object();
          int which = h.nextInt(5);
          return record(
              "logger()."
                  + new String[] {"info", "warn", "error", "atWarn().field", "debug"}[which]
                  + "("
                  + msg.shown()
                  + ", "
                  + fields.shown()
                  + ", "
                  + e.shown()
                  + ", "
                  + field.shown()
                  + ")",
              x -> {
                switch (which) {
                  case 0:
                    x.monitoring.logger().info(msg.value(), fields.value());
                    break;
                  case 1:
                    x.monitoring.logger().warn(msg.value(), e.value(), fields.value());
                    break;
                  case 2:
                    x.monitoring
                        .logger("fuzz.logger")
                        .error(msg.value(), e.value(), fields.value());
                    break;
                  case 3:
                    x.monitoring
                        .logger()
                        .atWarn()
                        .field("value", field.value())
                        .error(e.value())
                        .log(msg.value());
                    break;
                  default:
                    x.monitoring.logger(Calls.class).debug(msg.value(), fields.value());
                }
              });
        });
    add(
        1,
        h -> {
          Value<Object> id = h.object();
          Value<String> key = h.string();
          Value<String> q = h.string();
          return record(
              "LogContext.user("
                  + id.shown()
                  + ").and("
                  + key.shown()
                  + ", ..), job("
                  + q.shown()
                  + ", ..), wrap(..).run(), close() twice",
              x -> {
                LogContext ctx = LogContext.user(id.value()).and(key.value(), id.value());
                LogContext job = LogContext.job(q.value(), q.value(), id.value());
                LogContext.wrap(() -> x.monitoring.logger().info("inside", null)).run();
                job.close();
                ctx.close();
                ctx.close();
              });
        });
    // the redactor
    add(
        2,
        h -> {
          Value<Object> value = h.object();
          Value<String> text = h.string();
          Value<Map<String, Object>> map = h.map(List.of("password", "token", "nested", "url"));
          return record(
              "redactor().redact("
                  + map.shown()
                  + "), redactValue("
                  + value.shown()
                  + "), redactText("
                  + text.shown()
                  + ")",
              x -> {
                Redactor r = x.monitoring.redactor();
                r.redact(map.value());
                r.redactValue(value.value());
                r.redactText(text.value());
                r.isSensitiveKey(text.value());
              });
        });
    // HTTP instrumentation
    add(
        2,
        h -> {
          Value<String> path = h.string();
          Value<String> template = h.string();
          Value<String> method = h.string();
          Value<String> query = h.string();
          Value<Throwable> error = h.throwable();
          int status = h.intValue();
          int from = h.chance(80) ? 0 : h.intValue();
          boolean throwingHeaders = h.chance(30);
          return record(
              "http: begin/route/prefixRoute/status/failed/attach/detach/end with path "
                  + path.shown()
                  + ", template "
                  + template.shown()
                  + ", method "
                  + method.shown()
                  + ", status "
                  + status
                  + ", from "
                  + from
                  + ", query "
                  + query.shown()
                  + ", error "
                  + error.shown()
                  + (throwingHeaders ? ", headers lookup throws" : ""),
              x -> {
                RequestReader<Object> reader =
                    new RequestReader<>() {
                      @Override
                      public String method(Object request) {
                        return method.value();
                      }

                      @Override
                      public String path(Object request) {
                        return path.value();
                      }

                      @Override
                      public int pathStart(Object request) {
                        return from;
                      }

                      @Override
                      public String header(Object request, String name) {
                        if (throwingHeaders) {
                          throw new IllegalStateException("headers");
                        }
                        return query.value();
                      }

                      @Override
                      public String query(Object request) {
                        return query.value();
                      }
                    };
                RequestScope<Object> scope = x.http.begin(new Object(), reader);
                scope.route(template.value());
                if (template.value() != null) {
                  scope.prefixRoute(template.value(), from);
                }
                scope.status(status).failed(error.value());
                scope.detach();
                scope.attach();
                scope.end();
                scope.end();
              });
        });
    add(
        1,
        h -> {
          Value<String> path = h.string();
          int from = h.chance(80) ? 0 : h.intValue();
          return new Call(
              "RouteNormalizer.create().normalize(" + path.shown() + ", " + from + ")",
              Kind.RECORD,
              x -> {
                // A utility with a documented contract: only the exceptions it documents.
                String p = path.value();
                try {
                  RouteNormalizer.create().normalize(p, from);
                } catch (NullPointerException e) {
                  if (p != null) {
                    throw e;
                  }
                } catch (IndexOutOfBoundsException e) {
                  if (p != null && from >= 0 && from <= p.length()) {
                    throw e;
                  }
                }
              });
        });
    // the pricing builder (configuration)
    add(
        1,
        h -> {
          Value<String> model = h.string();
          Value<String> type = h.chance(60) ? new Value<>("input", "\"input\"") : h.string();
          Value<BigDecimal> price = h.decimal();
          Value<String> text = h.string();
          long above = h.longValue();
          return new Call(
              "Pricing.builder().price("
                  + model.shown()
                  + ", "
                  + type.shown()
                  + ", "
                  + price.shown()
                  + ").price(.., "
                  + text.shown()
                  + ").price(.., "
                  + above
                  + "L, "
                  + text.shown()
                  + ").alias(..).asOf("
                  + text.shown()
                  + ").build()",
              Kind.CONFIGURE,
              x -> {
                Pricing.Builder b = Pricing.builder();
                try {
                  b.price(model.value(), type.value(), price.value());
                } finally {
                  try {
                    b.price("gpt-4", "input", text.value());
                  } finally {
                    try {
                      b.price(model.value(), type.value(), price.value(), above, text.value());
                    } finally {
                      b.alias(model.value(), "gpt-4");
                      b.asOf(text.value());
                      b.build();
                    }
                  }
                }
              });
        });
  }

  private Call budget(Hostile h) {
    Value<String> model = h.string();
    Value<BigDecimal> usd = h.decimal();
    Value<String> setting = h.string();
    int percent = h.intValue();
    String variable =
        h.pick(
            List.of(
                "VIGIL_BUDGET_SERVICE",
                "VIGIL_BUDGET_MODEL",
                "VIGIL_BUDGET_USER",
                "VIGIL_BUDGET_ALERT_AT",
                "VIGIL_BUDGET_ZONE",
                "VIGIL_BUDGET_CHECK_INTERVAL"));
    return new Call(
        "AiBudget.model("
            + model.shown()
            + ", DAY, "
            + usd.shown()
            + ").alertAt("
            + percent
            + "); readEnvironment("
            + variable
            + "="
            + setting.shown()
            + ")",
        Kind.CONFIGURE,
        x -> {
          try {
            AiBudget.model(model.value(), AiBudget.Window.DAY, usd.value()).alertAt(percent);
          } finally {
            try {
              AiBudget.perUser(Duration.ofHours(24), usd.value());
            } finally {
              Map<String, String> env = new java.util.HashMap<>();
              env.put(variable, setting.value());
              Monitoring.builder("fuzz").readEnvironment(env);
            }
          }
        });
  }

  private Call pricingFile(Hostile h) {
    Value<String> cell = h.string();
    String row =
        h.pick(
            List.of(
                "price,gpt-4,input,",
                "price,gemini-2.5-pro,input,0.0025,above=",
                "price,gpt-4,output,0.06,as_of=",
                "alias,",
                "token_type,reasoning,"));
    return new Call(
        "Pricing.parse(\"" + row + "\" + " + cell.shown() + ", \"fuzz.csv\")",
        Kind.CONFIGURE,
        x -> Pricing.parse(row + cell.value(), "fuzz.csv"));
  }

  private Call alert(Hostile h) {
    Value<String> id = h.string();
    Value<Throwable> error = h.throwable();
    Value<Map<String, Object>> ctx = h.map(List.of("jobId", "password", "amount", "plan"));
    double rate = h.doubleValue();
    int which = h.nextInt(6);
    String[] names = {
      "alertPaymentFailure",
      "alertQueueFailure",
      "alertCriticalError",
      "alertHighErrorRate",
      "alertServiceDegradation",
      "send(null)"
    };
    return record(
        "alerts()."
            + names[which]
            + "("
            + id.shown()
            + ", "
            + error.shown()
            + ", "
            + ctx.shown()
            + ", "
            + rate
            + ")",
        x -> {
          switch (which) {
            case 0:
              x.monitoring.alerts().alertPaymentFailure(id.value(), error.value(), ctx.value());
              break;
            case 1:
              x.monitoring.alerts().alertQueueFailure(id.value(), error.value(), ctx.value());
              break;
            case 2:
              x.monitoring.alerts().alertCriticalError(error.value(), ctx.value());
              break;
            case 3:
              x.monitoring.alerts().alertHighErrorRate(rate, rate, ctx.value());
              break;
            case 4:
              x.monitoring.alerts().alertServiceDegradation(id.value(), id.value(), ctx.value());
              break;
            default:
              x.monitoring.alerts().send(null);
          }
        });
  }

  private Call job(Hostile h) {
    Value<String> q = h.string();
    Value<String> j = h.string();
    Value<Object> id = h.object();
    int outcome = h.nextInt(6);
    String[] shown = {
      "returns",
      "throws IOException",
      "throws IllegalStateException",
      "throws AssertionError",
      "is null",
      "returns (runJob)"
    };
    Throwable thrown =
        switch (outcome) {
          case 1 -> new IOException("job failed");
          case 2 -> new IllegalStateException("job failed");
          case 3 -> new AssertionError("job failed");
          default -> null;
        };
    return new Call(
        "metrics().callJob("
            + q.shown()
            + ", "
            + j.shown()
            + ", "
            + id.shown()
            + ", job that "
            + shown[outcome]
            + ")",
        Kind.JOB,
        x -> {
          if (outcome == 4) {
            x.monitoring.metrics().callJob(q.value(), j.value(), id.value(), null);
          } else if (outcome == 5) {
            x.monitoring.metrics().runJob(q.value(), j.value(), id.value(), () -> {});
          } else {
            x.monitoring
                .metrics()
                .callJob(
                    q.value(),
                    j.value(),
                    id.value(),
                    () -> {
                      if (thrown != null) {
                        throw Hostile.<Exception>sneaky(thrown);
                      }
                      return "done";
                    });
          }
        },
        thrown);
  }

  /** A recording call. */
  private static Call record(String code, Action action) {
    return new Call(code, Kind.RECORD, action);
  }

  private void add(int weight, Function<Hostile, Call> generator) {
    for (int i = 0; i < weight; i++) {
      generators.add(generator);
    }
  }

  Call next(Hostile h) {
    return generators.get(h.nextInt(generators.size())).apply(h);
  }
}
