package dev.vigil;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Every metric Vigil exposes, with its exact name, type, labels and buckets: the one source of
 * truth that the metrics, the README, the dashboards and the alerting rules are checked against.
 *
 * <p>Every series also carries the {@value #SERVICE_LABEL} label, which is not repeated in {@link
 * Definition#labelNames()}.
 *
 * <pre>{@code
 * for (MetricCatalog.Definition d : MetricCatalog.all()) {
 *   System.out.println(d.name() + " " + d.type() + " " + d.labelNames());
 * }
 * }</pre>
 */
public final class MetricCatalog {

  /** The label every Vigil series carries: the name given to {@code Monitoring.builder(..)}. */
  public static final String SERVICE_LABEL = "service";

  /** The Prometheus metric types Vigil produces. */
  public enum Type {
    COUNTER,
    GAUGE,
    HISTOGRAM
  }

  /**
   * One metric family.
   *
   * @param name the exposed name; counters end in {@code _total}
   * @param type the Prometheus type
   * @param help the {@code # HELP} text
   * @param labelNames the labels besides {@value #SERVICE_LABEL}, in order
   * @param buckets the classic histogram upper bounds, empty for other types
   */
  public record Definition(
      String name, Type type, String help, List<String> labelNames, List<Double> buckets) {

    public Definition {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(help, "help");
      labelNames = List.copyOf(labelNames);
      buckets = List.copyOf(buckets);
    }

    /**
     * The names that appear in the exposition: {@code name} for counters and gauges, and the {@code
     * _bucket}, {@code _sum} and {@code _count} series for histograms.
     */
    public List<String> seriesNames() {
      if (type == Type.HISTOGRAM) {
        return List.of(name + "_bucket", name + "_sum", name + "_count");
      }
      return List.of(name);
    }
  }

  static final List<Double> QUEUE_DURATION_BUCKETS =
      List.of(0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0);
  static final List<Double> HTTP_DURATION_BUCKETS =
      List.of(0.01, 0.05, 0.1, 0.3, 0.5, 1.0, 2.0, 5.0);

  public static final Definition ACTIVE_USERS =
      counter("active_users_total", "User interactions tracked with Kpi.activeUser.");
  public static final Definition GENERATION_SUCCESS =
      counter("generation_success_total", "Successful AI generations, by content type.", "type");
  public static final Definition GENERATION_FAILURE =
      counter(
          "generation_failure_total",
          "Failed AI generations, by content type and error type.",
          "type",
          "error_type");
  public static final Definition TOKEN_SPEND =
      counter("token_spend_total", "AI tokens consumed, by model and token type.", "model", "type");
  public static final Definition PAYMENT_CONVERSIONS =
      counter(
          "payment_conversions_total",
          "Successful payments, by payment method and plan.",
          "payment_method",
          "plan");
  public static final Definition PAYMENT_FAILURES =
      counter(
          "payment_failures_total",
          "Failed payments, by payment method and error type.",
          "payment_method",
          "error_type");
  public static final Definition QUEUE_FAILURES =
      counter(
          "queue_failures_total",
          "Failed queue jobs, by queue and error type.",
          "queue_name",
          "error_type");
  public static final Definition QUEUE_JOB_DURATION =
      new Definition(
          "queue_job_duration_seconds",
          Type.HISTOGRAM,
          "Queue job duration in seconds, by queue and job type.",
          List.of("queue_name", "job_type"),
          QUEUE_DURATION_BUCKETS);
  public static final Definition ACTIVE_JOBS =
      new Definition(
          "active_jobs_total",
          Type.GAUGE,
          "Jobs being processed right now, by queue.",
          List.of("queue_name"),
          List.of());
  public static final Definition HTTP_REQUESTS =
      counter(
          "http_requests_total",
          "HTTP requests, by method, route template and status code.",
          "method",
          "route",
          "status_code");
  public static final Definition HTTP_REQUEST_DURATION =
      new Definition(
          "http_request_duration_seconds",
          Type.HISTOGRAM,
          "HTTP request duration in seconds, by method, route template and status code.",
          List.of("method", "route", "status_code"),
          HTTP_DURATION_BUCKETS);
  public static final Definition ERRORS =
      counter(
          "errors_total",
          "Errors reported with handleError, by type and severity.",
          "error_type",
          "severity");

  /**
   * Distinct user ids seen by {@code Kpi.activeUser} per sliding window, from HyperLogLog sketches
   * (about 1% error). Computed at scrape time; the base name differs from the {@code active_users}
   * of {@link #ACTIVE_USERS}, so the two never collide.
   */
  public static final Definition ACTIVE_USERS_DISTINCT =
      new Definition(
          "active_users_distinct",
          Type.GAUGE,
          "Distinct users seen in the sliding window (HyperLogLog estimate).",
          List.of("window"),
          List.of());

  /**
   * With a shared store ({@code vigil-redis}) only: distinct users of every service sharing the
   * store's namespace, per sliding window, across all replicas. Every replica reports the same
   * value, so aggregate with {@code max}, never {@code sum}.
   */
  public static final Definition ACTIVE_USERS_SYSTEM_DISTINCT =
      new Definition(
          "active_users_system_distinct",
          Type.GAUGE,
          "Distinct users of every service sharing the store, across replicas, in the sliding"
              + " window (HyperLogLog estimate; the same on every replica).",
          List.of("window"),
          List.of());

  /** AI cost in US dollars, priced from the pricing table; unpriced tokens are not in here. */
  public static final Definition AI_COST =
      counter(
          "ai_cost_usd_total",
          "AI cost in US dollars, by model and token type, from the pricing table.",
          "model",
          "type");

  /**
   * What the cache reads and writes would have cost at the model's input price: beside {@link
   * #AI_COST} of the same types, the difference is what the provider's cache saved.
   */
  public static final Definition AI_COST_UNCACHED =
      counter(
          "ai_cost_uncached_usd_total",
          "What cache reads and writes would have cost in US dollars at the model's input price, by"
              + " model and token type; ai_cost_usd_total of the same types is what they cost.",
          "model",
          "type");

  /** AI spend of the service in the current window of its budget ({@code AiBudget.service}). */
  public static final Definition AI_BUDGET_SPEND =
      gauge(
          "ai_budget_spend_usd",
          "AI spend in US dollars of this replica in the current window of the service's budget"
              + " (calendar hour, day, week or month).",
          "window");

  /** The service's AI budget per window. */
  public static final Definition AI_BUDGET_LIMIT =
      gauge("ai_budget_limit_usd", "The service's AI budget in US dollars per window.", "window");

  /** AI spend of one model in the current window of its budget ({@code AiBudget.model}). */
  public static final Definition AI_BUDGET_MODEL_SPEND =
      gauge(
          "ai_budget_model_spend_usd",
          "AI spend in US dollars of this replica on the model in the current window of its"
              + " budget.",
          "model",
          "window");

  /** One model's AI budget per window. */
  public static final Definition AI_BUDGET_MODEL_LIMIT =
      gauge(
          "ai_budget_model_limit_usd",
          "The model's AI budget in US dollars per window.",
          "model",
          "window");

  /**
   * Users whose spend in the sliding window reached the per-user budget ({@code AiBudget.perUser}).
   */
  public static final Definition AI_BUDGET_USERS_OVER =
      gauge(
          "ai_budget_users_over_limit",
          "Top spenders whose AI spend in the sliding window reached the per-user budget (at least,"
              + " by the sketch's lower bound).",
          "window");

  /** The per-user AI budget per sliding window. */
  public static final Definition AI_BUDGET_USER_LIMIT =
      gauge(
          "ai_budget_user_limit_usd",
          "The AI budget of each user in US dollars per sliding window.",
          "window");

  /** Revenue from payment conversions that carried an amount, in major units of the currency. */
  public static final Definition PAYMENT_REVENUE =
      counter(
          "payment_revenue_total",
          "Revenue of successful payments, in units of the currency (USD 19.99 adds 19.99), by"
              + " currency and plan.",
          "currency",
          "plan");

  public static final Definition INVALID_INPUTS =
      counter(
          "vigil_invalid_inputs_total",
          "Inputs Vigil dropped or normalised, by the metric they were meant for and the reason.",
          "metric",
          "reason");
  public static final Definition LABEL_OVERFLOW =
      counter(
          "vigil_label_overflow_total",
          "Recordings folded into the overflow series because a metric reached its label-set"
              + " limit.",
          "metric");
  public static final Definition LABEL_SETS =
      new Definition(
          "vigil_label_sets",
          Type.GAUGE,
          "Label sets currently held per metric (the overflow series included).",
          List.of("metric"),
          List.of());

  /**
   * Snapshots that failed for one scrape: a metric on {@code /metrics} (its other series, and every
   * other metric, were served) or a section of {@code /kpi} (served as null).
   */
  public static final Definition SCRAPE_FAILURES =
      counter(
          "vigil_scrape_failures_total",
          "Metrics (or /kpi sections) that failed to snapshot for a scrape, which served everything"
              + " else.",
          "metric");

  /** Background threads Vigil restarted after they died (they survive one failed task anyway). */
  public static final Definition THREAD_RESTARTS =
      counter(
          "vigil_thread_restarts_total",
          "Vigil background threads restarted by the watchdog after they died, by thread.",
          "thread");

  public static final Definition UNPRICED_TOKENS =
      counter(
          "vigil_unpriced_tokens_total",
          "Tokens of models or token types missing from the pricing table, so not in"
              + " ai_cost_usd_total.",
          "model",
          "type");

  /** Alert notifications delivered, by channel ({@code log}, {@code telegram}, ...). */
  public static final Definition ALERTS_SENT =
      counter("vigil_alerts_sent_total", "Alert notifications delivered, by channel.", "channel");

  /** Notifications given up: the last attempt failed, or a failure that retrying cannot fix. */
  public static final Definition ALERTS_FAILED =
      counter(
          "vigil_alerts_failed_total",
          "Alert notifications given up after a failed attempt, by channel and the reason of the"
              + " last failure.",
          "channel",
          "reason");

  /** Failed delivery attempts that were retried. */
  public static final Definition ALERTS_RETRIED =
      counter(
          "vigil_alerts_retried_total",
          "Failed alert delivery attempts that were retried, by channel and reason.",
          "channel",
          "reason");

  /** Occurrences merged into a later notification instead of notifying at once. */
  public static final Definition ALERTS_SUPPRESSED =
      counter(
          "vigil_alerts_suppressed_total",
          "Alert occurrences merged into a later notification (repeats inside the cool-down), by"
              + " channel and reason.",
          "channel",
          "reason");

  /** Notifications discarded without a delivery attempt completing. */
  public static final Definition ALERTS_DROPPED =
      counter(
          "vigil_alerts_dropped_total",
          "Alert notifications discarded undelivered (queue full, closed), by channel and reason.",
          "channel",
          "reason");

  /** Samples of the KPI page's history that failed; the sampler logs, counts and carries on. */
  public static final Definition PAGE_SAMPLE_FAILURES =
      counter(
          "vigil_page_sample_failures_total",
          "Samples of the KPI page's history that failed; the sampler carries on with the next.");

  static final List<Double> OTLP_EXPORT_BUCKETS =
      List.of(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0);

  /** Data points the OTLP collector accepted ({@code vigil-otel}). */
  public static final Definition OTLP_EXPORTED_POINTS =
      counter(
          "vigil_otlp_exported_points_total",
          "Data points the OTLP collector accepted (vigil-otel).");

  /**
   * Data points that did not reach the collector, or that it refused: the export failed after its
   * retries, or a partial success rejected them.
   */
  public static final Definition OTLP_FAILED_POINTS =
      counter(
          "vigil_otlp_failed_points_total",
          "Data points not delivered over OTLP: the export failed after its retries, or the"
              + " collector rejected them (partial success), by reason (vigil-otel).",
          "reason");

  /**
   * Data points never sent: over the series limit of delta temporality, or of a kind OTLP lacks.
   */
  public static final Definition OTLP_DROPPED_POINTS =
      counter(
          "vigil_otlp_dropped_points_total",
          "Data points vigil-otel left out of an export, by reason (series_limit, unsupported).",
          "reason");

  /** How long one OTLP export took, retries included. */
  public static final Definition OTLP_EXPORT_DURATION =
      new Definition(
          "vigil_otlp_export_duration_seconds",
          Type.HISTOGRAM,
          "Duration of one OTLP export in seconds, retries included, by outcome (vigil-otel).",
          List.of("outcome"),
          OTLP_EXPORT_BUCKETS);

  /** {@code vigil-redis}: 1 while the last round trip to Redis succeeded, else 0. */
  public static final Definition REDIS_UP =
      new Definition(
          "vigil_redis_up",
          Type.GAUGE,
          "1 while the last round trip to Redis succeeded, 0 while Redis is unreachable or failing.",
          List.of(),
          List.of());

  /** {@code vigil-redis}: failed round trips, by operation (flush, claim) and reason. */
  public static final Definition REDIS_COMMANDS_FAILED =
      counter(
          "vigil_redis_commands_failed_total",
          "Round trips to Redis that failed, by operation (flush, claim) and reason (connection,"
              + " timeout, auth, tls, cluster, server_error).",
          "operation",
          "reason");

  /** {@code vigil-redis}: events handed over while the buffer was full, by kind. */
  public static final Definition REDIS_IDS_DROPPED =
      counter(
          "vigil_redis_ids_dropped_total",
          "User ids not sent to Redis because the buffer was full or Redis was down too long, by"
              + " kind (activity, spend); the local figures still count them.",
          "kind");

  /** {@code vigil-redis}: events written to Redis, by kind. */
  public static final Definition REDIS_IDS_FLUSHED =
      counter(
          "vigil_redis_ids_flushed_total",
          "User ids written to Redis, by kind (activity, spend), before de-duplication.",
          "kind");

  /** {@code vigil-redis}: events waiting in the buffer for the next flush. */
  public static final Definition REDIS_BUFFERED_IDS =
      new Definition(
          "vigil_redis_buffered_ids",
          Type.GAUGE,
          "User ids waiting in the buffer for the next flush to Redis.",
          List.of(),
          List.of());

  /** {@code vigil-redis}: how long one flush round trip took. */
  public static final Definition REDIS_FLUSH_DURATION =
      new Definition(
          "vigil_redis_flush_duration_seconds",
          Type.HISTOGRAM,
          "Duration of one flush to Redis (one pipelined round trip), in seconds.",
          List.of(),
          List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0));

  /** {@code vigil-redis}: figures served from the local fallback because Redis had none. */
  public static final Definition REDIS_LOCAL_FALLBACKS =
      counter(
          "vigil_redis_local_fallbacks_total",
          "Times a figure came from this replica alone because Redis was unavailable, by figure"
              + " (distinct_users, system_distinct_users, top_spenders, alert_agreement,"
              + " alert_threshold).",
          "figure");

  private static final List<Definition> BUSINESS =
      List.of(
          ACTIVE_USERS,
          GENERATION_SUCCESS,
          GENERATION_FAILURE,
          TOKEN_SPEND,
          PAYMENT_CONVERSIONS,
          PAYMENT_FAILURES,
          QUEUE_FAILURES,
          QUEUE_JOB_DURATION,
          ACTIVE_JOBS,
          HTTP_REQUESTS,
          HTTP_REQUEST_DURATION,
          ERRORS,
          ACTIVE_USERS_DISTINCT,
          AI_COST,
          AI_COST_UNCACHED,
          PAYMENT_REVENUE);

  private static final List<Definition> BUDGETS =
      List.of(
          AI_BUDGET_SPEND,
          AI_BUDGET_LIMIT,
          AI_BUDGET_MODEL_SPEND,
          AI_BUDGET_MODEL_LIMIT,
          AI_BUDGET_USERS_OVER,
          AI_BUDGET_USER_LIMIT);

  private static final List<Definition> SELF =
      List.of(
          INVALID_INPUTS,
          LABEL_OVERFLOW,
          LABEL_SETS,
          SCRAPE_FAILURES,
          THREAD_RESTARTS,
          UNPRICED_TOKENS,
          ALERTS_SENT,
          ALERTS_FAILED,
          ALERTS_RETRIED,
          ALERTS_SUPPRESSED,
          ALERTS_DROPPED,
          PAGE_SAMPLE_FAILURES);

  private static final List<Definition> MODULES =
      List.of(
          OTLP_EXPORTED_POINTS,
          OTLP_FAILED_POINTS,
          OTLP_DROPPED_POINTS,
          OTLP_EXPORT_DURATION,
          ACTIVE_USERS_SYSTEM_DISTINCT,
          REDIS_UP,
          REDIS_COMMANDS_FAILED,
          REDIS_IDS_DROPPED,
          REDIS_IDS_FLUSHED,
          REDIS_BUFFERED_IDS,
          REDIS_FLUSH_DURATION,
          REDIS_LOCAL_FALLBACKS);

  private MetricCatalog() {}

  /** The business metrics of the KPI specification. */
  public static List<Definition> business() {
    return BUSINESS;
  }

  /**
   * The AI budget gauges ({@code AiBudget}): computed at scrape time, and exposed only for the
   * kinds of budget a Monitoring has.
   */
  public static List<Definition> budgets() {
    return BUDGETS;
  }

  /** Vigil's own health: what it dropped, folded or failed to deliver. */
  public static List<Definition> self() {
    return SELF;
  }

  /**
   * The metrics of Vigil's optional modules ({@code vigil-otel}, {@code vigil-redis}, ...), {@code
   * active_users_system_distinct} included: registered only in a Monitoring that installed the
   * module.
   */
  public static List<Definition> modules() {
    return MODULES;
  }

  /** Every metric Vigil itself defines (JVM and process metrics come from client_java). */
  public static List<Definition> all() {
    List<Definition> all = new ArrayList<>(BUSINESS);
    all.addAll(BUDGETS);
    all.addAll(SELF);
    all.addAll(MODULES);
    return Collections.unmodifiableList(all);
  }

  /** The definition with this exposed name, or {@code null}. */
  public static @Nullable Definition find(String name) {
    for (Definition d : all()) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    return null;
  }

  private static Definition gauge(String name, String help, String... labels) {
    return new Definition(name, Type.GAUGE, help, List.of(labels), List.of());
  }

  private static Definition counter(String name, String help, String... labels) {
    return new Definition(name, Type.COUNTER, help, List.of(labels), List.of());
  }
}
