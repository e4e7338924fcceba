package dev.vigil.internal.page;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.vigil.MetricCatalog;
import dev.vigil.Ticker;
import dev.vigil.alert.internal.AlertService;
import dev.vigil.alert.internal.RecentAlerts;
import dev.vigil.internal.BusinessAnalytics;
import dev.vigil.internal.CoreMetrics;
import dev.vigil.internal.CounterCell;
import dev.vigil.internal.CounterFamily;
import dev.vigil.internal.Family;
import dev.vigil.internal.Json;
import dev.vigil.internal.KpiReading;
import dev.vigil.internal.MetricsServer;
import dev.vigil.internal.WarnLimiter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live KPI page of one service: {@code GET /} and its files (no data in them, see {@link
 * PageAssets}), and {@code GET /kpi/history}, the one document the page reads, all behind the
 * metrics bearer token like {@code /kpi} (the metrics server's {@code AccessGate} signs a browser
 * in). The document holds the {@code /kpi} document itself (so the page shows exactly its numbers),
 * what the page adds at the same moment (HTTP, failures by type, active jobs, alerts), and the
 * {@link History} of the last hour from the {@link HistorySampler}.
 *
 * <pre>{@code
 * KpiPage page = new KpiPage(core, analytics, alerts, environment, ticker, clock);
 * server = MetricsServer.start(host, port, core, health, token, core.endpoints(),
 *     page.handler());
 * page.start();
 * }</pre>
 */
public final class KpiPage {
  public static final String HISTORY_PATH = "/kpi/history";

  /** Rows in the page's tables (busiest routes, failures by error type...), the rest summed. */
  static final int TABLE_ROWS = 5;

  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil");

  private final CoreMetrics core;
  private final BusinessAnalytics analytics;
  private final @Nullable AlertService alerts;
  private final String environment;
  private final Clock clock;
  private final History history;
  private final HistorySampler sampler;
  private final PageAssets assets = PageAssets.get();

  public KpiPage(
      CoreMetrics core,
      BusinessAnalytics analytics,
      @Nullable AlertService alerts,
      String environment,
      Ticker ticker,
      Clock clock) {
    this(
        core,
        analytics,
        alerts,
        environment,
        ticker,
        clock,
        HistorySampler.INTERVAL_NANOS,
        HistorySampler.MAX_PARK_NANOS);
  }

  KpiPage(
      CoreMetrics core,
      BusinessAnalytics analytics,
      @Nullable AlertService alerts,
      String environment,
      Ticker ticker,
      Clock clock,
      long intervalNanos,
      long maxParkNanos) {
    this.core = core;
    this.analytics = analytics;
    this.alerts = alerts;
    this.environment = environment;
    this.clock = clock;
    this.history = new History(analytics.windowLabels());
    CounterFamily failureFamily = core.counter(MetricCatalog.PAGE_SAMPLE_FAILURES);
    CounterCell failures = failureFamily.series();
    WarnLimiter warnings = new WarnLimiter(LOG, ticker, 1, TimeUnit.MINUTES);
    this.sampler =
        new HistorySampler(
            core.service(),
            ticker,
            clock,
            analytics::reading,
            history,
            () -> {
              if (failures != null) {
                failures.inc();
              }
            },
            t -> {
              warnings.warn(
                  "page|sample",
                  "Vigil could not sample the KPI page's history of service '"
                      + core.service()
                      + "' and carries on with the next sample: "
                      + t
                      + ". See vigil_page_sample_failures_total.");
              LOG.debug("KPI page sample failed", t);
            },
            intervalNanos,
            maxParkNanos);
    core.addEndpoint(HISTORY_PATH, this::serveHistory);
    core.onClose(sampler::close);
  }

  /** Starts sampling (the first sample at once). */
  public void start() {
    sampler.start();
  }

  /** The handler of {@code /}: the page and its files; 404 for any other path. */
  public HttpHandler handler() {
    return this::serveFiles;
  }

  /**
   * Takes a sample now if one is due by the ticker. The sampler thread calls it; so can whoever
   * moved a fake ticker and wants the sample at once (tests, the benchmark).
   *
   * @return whether a sample was taken
   */
  public boolean sampleIfDue() {
    return sampler.sampleIfDue();
  }

  History history() {
    return history;
  }

  private void serveFiles(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      MetricsServer.respond(exchange, 405, "text/plain; charset=utf-8", "Use GET.\n");
      return;
    }
    if (!assets.serve(exchange, path)) {
      MetricsServer.notFound(exchange);
    }
  }

  private void serveHistory(HttpExchange exchange) throws IOException {
    String body;
    try {
      body = historyJson();
    } catch (RuntimeException e) {
      core.internalError(HISTORY_PATH, e);
      MetricsServer.respond(
          exchange,
          500,
          "text/plain; charset=utf-8",
          "Vigil could not build " + HISTORY_PATH + "; see the service log.\n");
      return;
    }
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      PageAssets.secure(exchange.getResponseHeaders());
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The {@code /kpi/history} document. */
  public String historyJson() {
    String kpi = analytics.kpiJson();
    KpiReading now = analytics.reading();
    StringBuilder out = new StringBuilder(64 * 1024 + history.size() * 600);
    out.append("{\"service\":");
    Json.quote(out, core.service());
    out.append(",\"environment\":");
    Json.quote(out, environment);
    out.append(",\"time\":").append(clock.millis());
    out.append(",\"intervalSeconds\":").append(HistorySampler.INTERVAL_NANOS / 1_000_000_000L);
    out.append(",\"capacity\":").append(History.CAPACITY);
    out.append(",\"topSpenders\":").append(!analytics.windowLabels().isEmpty());
    out.append(",\"kpi\":").append(kpi);
    out.append(",\"now\":");
    now(out, now);
    out.append(",\"alerts\":");
    alerts(out);
    out.append(",\"history\":");
    history.writeJson(out);
    return out.append('}').toString();
  }

  private static void now(StringBuilder out, KpiReading r) {
    out.append("{\"generationFailuresByError\":");
    counts(out, r.generationFailuresByError);
    out.append(",\"paymentFailuresByReason\":");
    counts(out, r.paymentFailuresByReason);
    out.append(",\"queues\":[");
    List<Map.Entry<String, KpiReading.Queue>> queues =
        KpiReading.top(
            r.queues,
            2 * TABLE_ROWS,
            Comparator.comparingDouble((KpiReading.Queue q) -> q.observations() + q.active));
    for (int i = 0; i < queues.size(); i++) {
      KpiReading.Queue q = queues.get(i).getValue();
      out.append(i == 0 ? "{" : ",{").append("\"name\":");
      Json.quote(out, queues.get(i).getKey());
      field(out, "jobs", q.observations());
      field(out, "active", q.active);
      field(out, "failures", q.failures);
      field(out, "p50Seconds", q.p50Seconds);
      field(out, "p95Seconds", q.p95Seconds);
      out.append('}');
    }
    out.append("],\"queueFailures\":");
    counts(out, r.queueFailures);
    out.append(",\"http\":");
    http(out, r.http);
    out.append(",\"routes\":[");
    List<Map.Entry<String, KpiReading.Http>> routes =
        KpiReading.top(
            r.routes, TABLE_ROWS, Comparator.comparingDouble((KpiReading.Http h) -> h.requests));
    for (int i = 0; i < routes.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      String key = routes.get(i).getKey();
      int space = key.indexOf(' ');
      out.append("{\"method\":");
      Json.quote(out, key.substring(0, space));
      out.append(",\"route\":");
      Json.quote(out, key.substring(space + 1));
      out.append(',');
      httpFields(out, routes.get(i).getValue());
      out.append('}');
    }
    out.append("],\"errors\":");
    counts(out, r.errorsByType);
    out.append('}');
  }

  private static void http(StringBuilder out, KpiReading.Http h) {
    out.append('{');
    httpFields(out, h);
    out.append('}');
  }

  private static void httpFields(StringBuilder out, KpiReading.Http h) {
    out.append("\"requests\":");
    Numbers.append(out, h.requests);
    field(out, "clientErrors", h.clientErrors);
    field(out, "serverErrors", h.serverErrors);
    field(out, "p95Seconds", h.p95Seconds);
    field(out, "p99Seconds", h.p99Seconds);
  }

  /**
   * The {@value #TABLE_ROWS} largest counts by name, the sum of the rest, and the total. Names
   * holding a NUL (queue and error type) are split into {@code name} and {@code detail}.
   */
  private static void counts(StringBuilder out, Map<String, Double> counts) {
    List<Map.Entry<String, Double>> top =
        KpiReading.top(counts, TABLE_ROWS, Comparator.naturalOrder());
    double total = 0;
    for (double v : counts.values()) {
      total += v;
    }
    double shown = 0;
    out.append("{\"top\":[");
    for (int i = 0; i < top.size(); i++) {
      String key = top.get(i).getKey();
      int nul = key.indexOf('\u0000');
      out.append(i == 0 ? "{" : ",{").append("\"name\":");
      Json.quote(out, nul < 0 ? key : key.substring(0, nul));
      if (nul >= 0) {
        out.append(",\"detail\":");
        Json.quote(out, key.substring(nul + 1));
      }
      field(out, "count", top.get(i).getValue());
      out.append('}');
      shown += top.get(i).getValue();
    }
    out.append("],\"other\":");
    Numbers.append(out, total - shown);
    field(out, "total", total);
    out.append('}');
  }

  /** Delivery health per channel and the last notifications, newest first. */
  private void alerts(StringBuilder out) {
    AlertService alerts = this.alerts;
    boolean enabled = alerts != null && alerts.settings().enabled();
    out.append("{\"enabled\":").append(enabled).append(",\"channels\":[");
    if (alerts != null && enabled) {
      RecentAlerts.Snapshot recent = alerts.recentAlerts();
      Map<String, RecentAlerts.ChannelOutcome> latest = new LinkedHashMap<>();
      for (RecentAlerts.ChannelOutcome o : recent.latestByChannel()) {
        latest.put(o.channel(), o);
      }
      Map<String, Double> sent = byChannel(MetricCatalog.ALERTS_SENT);
      Map<String, Double> failed = byChannel(MetricCatalog.ALERTS_FAILED);
      Map<String, Double> retried = byChannel(MetricCatalog.ALERTS_RETRIED);
      Map<String, Double> dropped = byChannel(MetricCatalog.ALERTS_DROPPED);
      Map<String, Double> suppressed = byChannel(MetricCatalog.ALERTS_SUPPRESSED);
      List<String> channels = alerts.channelNames();
      for (int i = 0; i < channels.size(); i++) {
        String name = channels.get(i);
        out.append(i == 0 ? "{" : ",{").append("\"name\":");
        Json.quote(out, name);
        field(out, "sent", sent.getOrDefault(name, 0.0));
        field(out, "failed", failed.getOrDefault(name, 0.0));
        field(out, "retried", retried.getOrDefault(name, 0.0));
        field(out, "dropped", dropped.getOrDefault(name, 0.0));
        field(out, "suppressed", suppressed.getOrDefault(name, 0.0));
        out.append(",\"backlog\":").append(Math.max(0, alerts.backlog(name)));
        RecentAlerts.ChannelOutcome last = latest.get(name);
        out.append(",\"latest\":");
        outcome(out, last);
        out.append('}');
      }
      out.append("],\"recent\":[");
      List<RecentAlerts.Alert> list = recent.alerts();
      for (int i = 0; i < list.size(); i++) {
        RecentAlerts.Alert a = list.get(i);
        out.append(i == 0 ? "{" : ",{").append("\"time\":").append(a.time().toEpochMilli());
        out.append(",\"type\":");
        Json.quote(out, a.type());
        out.append(",\"severity\":");
        Json.quote(out, a.severity());
        out.append(",\"message\":");
        Json.quote(out, a.message());
        out.append(",\"occurrences\":").append(a.occurrences());
        out.append(",\"channels\":[");
        for (int c = 0; c < a.channels().size(); c++) {
          if (c > 0) {
            out.append(',');
          }
          outcome(out, a.channels().get(c));
        }
        out.append("]}");
      }
    } else {
      out.append("],\"recent\":[");
    }
    out.append("]}");
  }

  private static void outcome(StringBuilder out, RecentAlerts.@Nullable ChannelOutcome o) {
    if (o == null) {
      out.append("null");
      return;
    }
    out.append("{\"channel\":");
    Json.quote(out, o.channel());
    out.append(",\"outcome\":");
    Json.quote(out, o.outcome().label());
    out.append(",\"reason\":");
    Json.quote(out, o.reason());
    out.append('}');
  }

  private Map<String, Double> byChannel(MetricCatalog.Definition definition) {
    Map<String, Double> sums = new LinkedHashMap<>();
    Family<?> family = core.family(definition.name());
    if (family instanceof CounterFamily) {
      for (CounterCell cell : ((CounterFamily) family).cells()) {
        String channel = cell.labels().get("channel");
        if (channel != null) {
          sums.merge(channel, cell.value(), Double::sum);
        }
      }
    }
    return sums;
  }

  private static void field(StringBuilder out, String name, double value) {
    out.append(",\"").append(name).append("\":");
    Numbers.append(out, value);
  }
}
