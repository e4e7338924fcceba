package dev.vigil.testkit.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.vigil.Monitoring;
import dev.vigil.Ticker;
import dev.vigil.alert.Alert;
import dev.vigil.alert.Severity;
import dev.vigil.spi.AlertChannel;
import dev.vigil.spi.Delivery;
import dev.vigil.spi.Notification;
import dev.vigil.spi.RateLimit;
import dev.vigil.testkit.FreePort;
import dev.vigil.testkit.HttpReceiver;
import dev.vigil.testkit.LogCapture;
import dev.vigil.testkit.Scrape;
import dev.vigil.testkit.SecretCorpus;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.event.KeyValuePair;

/**
 * The contract every alert channel runs: Vigil's webhook, Slack, Telegram, Alertmanager and log
 * channels, {@code vigil-sentry}'s, and a {@link AlertChannel} of your own. Extend it, say how to
 * configure the channel against a destination, and how to read the message out of what the
 * destination received; every test here then runs against your channel:
 *
 * <pre>{@code
 * class PagerChannelContractTest extends AlertChannelContract {
 *   protected String channel() {
 *     return "pager";
 *   }
 *
 *   protected void configure(Monitoring.Builder builder, Target target) {
 *     builder.alertChannel(new PagerChannel(target.uri("/v1/page")));
 *   }
 *
 *   protected String message(HttpReceiver.Request request) {
 *     return request.body();     // the pager posts "<severity> <message>"
 *   }
 *
 *   protected int maxMessageLength() {
 *     return 4096;               // what the pager's API accepts
 *   }
 * }
 * }</pre>
 *
 * <p>Each test builds a {@link Monitoring} through the public API, with the channel configured by
 * {@link #configure} at a {@link Target}: an {@link HttpReceiver} on 127.0.0.1 that answers as the
 * test scripts it (or, for a refused connection, a port nothing listens on). It raises alerts with
 * {@code monitoring.alerts()}, and asserts on two things: what the destination received, and the
 * self-metrics {@code vigil_alerts_sent_total}, {@code vigil_alerts_retried_total{reason}}, {@code
 * vigil_alerts_failed_total{reason}} and {@code vigil_alerts_dropped_total{reason}} of the channel,
 * all four with exact values. The tests:
 *
 * <table>
 *   <caption>What the contract checks</caption>
 *   <tr><th>fault</th><th>expected</th></tr>
 *   <tr><td>none</td><td>the alert arrives once, its message in what people read; sent</td></tr>
 *   <tr><td>{@link Fault#SUCCESS_STATUSES 200, 201, 202, 204}</td><td>sent, not retried</td></tr>
 *   <tr><td>{@link Fault#RETRYABLE_STATUSES 408, 429, 500, 502, 503, 504}</td><td>retried with
 *       backoff (not before half the first retry delay), then sent</td></tr>
 *   <tr><td>{@link Fault#RETRY_AFTER Retry-After}</td><td>in seconds, as an HTTP date, and in the
 *       destination's own words ({@link #rateLimited}, such as Telegram's {@code retry_after}):
 *       retried when the destination said and not before; longer than the longest retry delay:
 *       failed at once, and the next alert waits for it</td></tr>
 *   <tr><td>{@link Fault#CLIENT_ERRORS 400, 401, 403, 404, 410, 413, 422}</td><td>failed once,
 *       never retried, a warning logged; the next alert is delivered</td></tr>
 *   <tr><td>{@link Fault#TIMEOUT a destination that answers too late}</td><td>the attempt is
 *       abandoned after {@code ALERT_TIMEOUT} and retried; a destination that stalls fills the
 *       channel's bounded backlog and the rest are dropped and counted</td></tr>
 *   <tr><td>{@link Fault#CONNECTION_REFUSED nothing listening}</td><td>retried with backoff,
 *       failed after {@code ALERT_MAX_ATTEMPTS}</td></tr>
 *   <tr><td>a channel beside this one throws from {@code deliver()} (an exception, a linkage
 *       error, a null stage, a failed stage; an {@link OutOfMemoryError} that ends the delivery
 *       thread)</td><td>that channel retries and delivers its next alert; this one goes on
 *       delivering; the thread is restarted</td></tr>
 *   <tr><td>a burst of alerts</td><td>sent no faster than {@link #rateLimit()}</td></tr>
 *   <tr><td>secrets in the message, the context, the error and a grouping value; a destination
 *       that echoes them in its error answer</td><td>none of {@link SecretCorpus}'s secrets in
 *       the payload; none in the log (checked after every test)</td></tr>
 *   <tr><td>a 20,000-character message, 32 long context entries, long grouping values</td>
 *       <td>delivered once, within {@link #maxMessageLength()}, {@linkplain #assertWellFormed
 *       well-formed}</td></tr>
 * </table>
 *
 * <p>Time is fake: the Monitoring's ticker and clock stand still until a test moves them, so
 * backoff, {@code Retry-After}, rate limits and timeouts are checked to the millisecond without
 * waiting. The contract knows the delivery thread has looked at the new time when it has delivered
 * three probe alerts to a channel of the contract's own, and counts the attempts a channel made
 * from Vigil's DEBUG line for each ({@code dev.vigil.alerts}, key {@code channel}); nothing sleeps.
 * The delivery settings are the contract's: {@value #MAX_ATTEMPTS} attempts, a first retry delay of
 * 1 s up to 1 minute, an attempt timeout of 10 s, queues of {@value #QUEUE_CAPACITY} and no
 * cool-down. The channel under test receives {@code error} and above.
 *
 * <p>A channel that cannot meet a fault says so in {@link #notApplicable()}, with the reason, and
 * those tests are skipped with it: {@code vigil-sentry}'s channel hands events to the Sentry SDK,
 * which owns transport and retries, so no HTTP answer reaches Vigil. A channel that sends no HTTP
 * requests (the log) reads what it delivered in {@link #received}.
 *
 * <p>The contract builds the Monitoring with {@code discoverExtensions(false)}: a channel that an
 * {@link dev.vigil.spi.Extension} adds is configured with {@code builder.extension(..)}. It
 * captures the log with Logback, which it brings onto the test class path.
 */
public abstract class AlertChannelContract {
  /** The {@code service} of the contract's Monitoring. */
  public static final String SERVICE = "contract";

  /** {@code ALERT_MAX_ATTEMPTS} in the contract. */
  public static final int MAX_ATTEMPTS = 5;

  /** {@code ALERT_RETRY_DELAY} in the contract: the n-th retry waits 0.5 to 1 times 2^(n-1) s. */
  public static final Duration RETRY_DELAY = Duration.ofSeconds(1);

  /** {@code ALERT_MAX_RETRY_DELAY} in the contract. */
  public static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);

  /** {@code ALERT_TIMEOUT} in the contract. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** {@code ALERT_QUEUE_CAPACITY} in the contract: the intake queue and each channel's backlog. */
  public static final int QUEUE_CAPACITY = 4;

  private static final String PROBE = "contract_probe";
  private static final String NEIGHBOUR = "contract_neighbour";
  private static final String ALERTS_LOGGER = "dev.vigil.alerts";
  private static final Duration AWAIT = Duration.ofSeconds(10);
  private static final Duration HELD = Duration.ofHours(1);

  /** The faults a channel may declare {@linkplain #notApplicable() not applicable}. */
  public enum Fault {
    /** Any 2xx answer (200, 201, 202, 204) means sent. */
    SUCCESS_STATUSES,
    /** 408, 429 and 5xx answers are retried with backoff. */
    RETRYABLE_STATUSES,
    /** A {@code Retry-After} (seconds, HTTP date, or the destination's own form) is honoured. */
    RETRY_AFTER,
    /** Other 4xx answers fail once and are not retried. */
    CLIENT_ERRORS,
    /** A destination that answers too late (after {@code ALERT_TIMEOUT}). */
    TIMEOUT,
    /** Nothing listening where the channel sends. */
    CONNECTION_REFUSED
  }

  /**
   * Where the channel under test sends: {@code http://127.0.0.1:<port>}, served by an {@link
   * HttpReceiver} (or, in the refused-connection test, by nothing).
   */
  public static final class Target {
    private final int port;
    private final @Nullable HttpReceiver receiver;

    private Target(int port, @Nullable HttpReceiver receiver) {
      this.port = port;
      this.receiver = receiver;
    }

    /** {@code http://127.0.0.1:<port>} followed by {@code path}, such as {@code "/hook"}. */
    public String url(String path) {
      return "http://127.0.0.1:" + port + path;
    }

    /** {@link #url} as a URI. */
    public URI uri(String path) {
      return URI.create(url(path));
    }

    public int port() {
      return port;
    }

    /** The requests received so far, in order; none when nothing listens. */
    public List<HttpReceiver.Request> requests() {
      return receiver == null ? List.of() : receiver.requests();
    }
  }

  private final ConditionFactory await =
      Awaitility.await()
          .atMost(AWAIT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(5))
          .ignoreExceptions();

  private final ContractTime time = new ContractTime();
  private final Probe probe = new Probe();
  private long probes;
  private @Nullable LogCapture log;
  private @Nullable LogCapture attemptLog;
  private @Nullable HttpReceiver receiver;
  private @Nullable Target target;
  private @Nullable Monitoring monitoring;

  /** The channel's name: the {@code channel} label of its self-metrics. */
  protected abstract String channel();

  /**
   * Configures the channel under test on {@code builder}, sending to {@code target}. Leave the
   * delivery settings (attempts, delays, timeout, queue) and the routing to the contract.
   */
  protected abstract void configure(Monitoring.Builder builder, Target target);

  /** The text people read, out of one request the channel sent. */
  protected abstract String message(HttpReceiver.Request request);

  /** The most characters {@link #message} may return: the destination's documented limit. */
  protected abstract int maxMessageLength();

  /**
   * What the destination received so far, one entry per delivery attempt, as {@link #message} reads
   * it. A channel that sends no HTTP requests (the log) reads its own destination here, and
   * declares the HTTP faults not applicable; one whose destination also receives other requests
   * (the Sentry SDK's client reports) leaves them out here.
   */
  protected List<String> received(Target target) {
    return target.requests().stream().map(this::message).collect(Collectors.toList());
  }

  /** The answer of a destination that took the notification; default 200 with no body. */
  protected HttpReceiver.Response accepted() {
    return HttpReceiver.Response.ok("");
  }

  /**
   * The destination's own answer asking to wait {@code seconds} before sending again: by default
   * 429 with a {@code Retry-After} header; Telegram's is a JSON body with {@code retry_after}.
   */
  protected HttpReceiver.Response rateLimited(int seconds) {
    return HttpReceiver.Response.status(429).header("Retry-After", Integer.toString(seconds));
  }

  /** The destination's answer refusing a request with {@code status} (a 4xx). */
  protected HttpReceiver.Response rejected(int status) {
    return HttpReceiver.Response.status(status).body("{\"error\":\"rejected\"}");
  }

  /**
   * Checks that {@code message}, cut to the channel's limit, is still valid for the destination. By
   * default: no surrogate pair cut in half. Telegram's checks that no HTML entity or tag is broken.
   */
  protected void assertWellFormed(String message) {
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (Character.isHighSurrogate(c)) {
        assertThat(i + 1 < message.length() && Character.isLowSurrogate(message.charAt(i + 1)))
            .as("a high surrogate at %d is followed by its low half", i)
            .isTrue();
        i++;
      } else {
        assertThat(Character.isLowSurrogate(c)).as("a lone low surrogate at %d", i).isFalse();
      }
    }
  }

  /** The rate limit the channel documents; unlimited by default. */
  protected RateLimit rateLimit() {
    return RateLimit.UNLIMITED;
  }

  /**
   * The faults that cannot apply to this channel, each with the reason, which the skipped tests
   * report; none by default.
   */
  protected Map<Fault, String> notApplicable() {
    return Map.of();
  }

  @BeforeEach
  final void captureLogs() {
    log = LogCapture.everything();
    attemptLog = LogCapture.of(ALERTS_LOGGER);
  }

  @AfterEach
  final void stopAndCheckTheLog() {
    String logged;
    try {
      if (receiver != null) {
        receiver.close();
      }
      if (monitoring != null) {
        monitoring.close();
      }
    } finally {
      logged = String.join("\n", Objects.requireNonNull(log).render("%logger %msg %kvp%n%ex"));
      log.close();
      Objects.requireNonNull(attemptLog).close();
    }
    assertThat(SecretCorpus.leaks(logged)).as("planted secrets in the log").isEmpty();
  }

  @Test
  void anAlertIsDeliveredOnceAndCountedAsSent() {
    start(live());
    String message = raise("contract_delivered");

    awaitOutcomes(Outcomes.NONE.sent(1));
    assertThat(awaitReceived(1).get(0)).contains(message);
    settle();
    assertThat(outcomes()).isEqualTo(Outcomes.NONE.sent(1));
    assertThat(attempts()).isEqualTo(1);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {200, 201, 202, 204})
  void everySuccessStatusCountsAsSent(int status) {
    applies(Fault.SUCCESS_STATUSES);
    start(live());
    HttpReceiver.Response ok = accepted();
    receiver()
        .enqueue(
            new HttpReceiver.Response(
                status, ok.headers(), status == 204 ? "" : ok.body(), Duration.ZERO));
    raise("contract_success");

    awaitOutcomes(Outcomes.NONE.sent(1));
    awaitReceived(1);
    advance(RETRY_DELAY.multipliedBy(2));
    assertThat(attempts()).isEqualTo(1);
    assertThat(outcomes()).isEqualTo(Outcomes.NONE.sent(1));
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {408, 429, 500, 502, 503, 504})
  void aRetryableStatusIsRetriedWithBackoffThenSent(int status) {
    applies(Fault.RETRYABLE_STATUSES);
    start(live());
    receiver().enqueue(HttpReceiver.Response.status(status));
    String message = raise("contract_retryable");
    String reason = reasonOf(status);

    awaitOutcomes(Outcomes.NONE.retried(reason, 1));
    awaitReceived(1);
    advance(Duration.ofMillis(RETRY_DELAY.toMillis() / 2 - 1)); // the jitter waits at least half
    assertThat(attempts()).isEqualTo(1);
    advance(atLeastOneToken(RETRY_DELAY).minusMillis(RETRY_DELAY.toMillis() / 2 - 1));

    awaitOutcomes(Outcomes.NONE.retried(reason, 1).sent(1));
    assertThat(awaitReceived(2)).allSatisfy(m -> assertThat(m).contains(message));
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {408, 429, 500, 503})
  void aRetryAfterInSecondsIsHonoured(int status) {
    applies(Fault.RETRY_AFTER);
    start(live());
    receiver().enqueue(HttpReceiver.Response.status(status).header("Retry-After", "7"));
    raise("contract_retry_after");
    String reason = reasonOf(status);

    awaitOutcomes(Outcomes.NONE.retried(reason, 1));
    advance(Duration.ofMillis(6_999));
    assertThat(attempts()).isEqualTo(1);
    advance(Duration.ofMillis(1));

    awaitOutcomes(Outcomes.NONE.retried(reason, 1).sent(1));
    awaitReceived(2);
  }

  /**
   * The date is a whole second, as HTTP dates are: the retry comes at it, and not a second before
   * (a channel that reads the date against the system clock rather than the Monitoring's passes
   * too, within that second).
   */
  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {429, 503})
  void aRetryAfterAsAnHttpDateIsHonoured(int status) {
    applies(Fault.RETRY_AFTER);
    start(live());
    time.syncWallClock();
    Instant date = time.now().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS);
    Duration untilDate = Duration.between(time.now(), date);
    receiver()
        .enqueue(
            HttpReceiver.Response.status(status)
                .header(
                    "Retry-After",
                    DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atOffset(ZoneOffset.UTC))));
    raise("contract_retry_date");
    String reason = reasonOf(status);

    awaitOutcomes(Outcomes.NONE.retried(reason, 1));
    advance(untilDate.minusSeconds(1));
    assertThat(attempts()).isEqualTo(1);
    advance(Duration.ofSeconds(1));

    awaitOutcomes(Outcomes.NONE.retried(reason, 1).sent(1));
    awaitReceived(2);
  }

  @Test
  void theDestinationsOwnRequestToWaitIsHonoured() {
    applies(Fault.RETRY_AFTER);
    start(live());
    receiver().enqueue(rateLimited(12));
    raise("contract_rate_limited");

    awaitOutcomes(Outcomes.NONE.retried(Delivery.RATE_LIMITED, 1));
    advance(Duration.ofMillis(11_999));
    assertThat(attempts()).isEqualTo(1);
    advance(Duration.ofMillis(1));

    awaitOutcomes(Outcomes.NONE.retried(Delivery.RATE_LIMITED, 1).sent(1));
    awaitReceived(2);
  }

  /**
   * The notification is given up, and the channel sends nothing else before the time the
   * destination named: sending sooner would only be refused again.
   */
  @Test
  void aRetryAfterLongerThanTheLongestRetryDelayEndsTheRetriesAndHoldsTheChannel() {
    applies(Fault.RETRY_AFTER);
    start(live());
    Duration wait = MAX_RETRY_DELAY.plusSeconds(1);
    receiver()
        .enqueue(
            HttpReceiver.Response.status(429)
                .header("Retry-After", Long.toString(wait.toSeconds())));
    raise("contract_wait_too_long");

    awaitOutcomes(Outcomes.NONE.failed(Delivery.RATE_LIMITED, 1));
    String next = raise("contract_after_the_wait");
    advance(wait.minusMillis(1));
    assertThat(attempts()).isEqualTo(1);
    advance(Duration.ofMillis(1));

    awaitOutcomes(Outcomes.NONE.failed(Delivery.RATE_LIMITED, 1).sent(1));
    assertThat(awaitReceived(2).get(1)).contains(next);
  }

  @ParameterizedTest(name = "HTTP {0}")
  @ValueSource(ints = {400, 401, 403, 404, 410, 413, 422})
  void anotherClientErrorFailsOnceAndIsNotRetried(int status) {
    applies(Fault.CLIENT_ERRORS);
    start(live());
    receiver().enqueue(rejected(status));
    raise("contract_rejected");

    awaitOutcomes(Outcomes.NONE.failed(Delivery.CLIENT_ERROR, 1));
    advance(Duration.ofHours(1));
    assertThat(attempts()).isEqualTo(1);
    assertThat(awaitReceived(1)).hasSize(1);
    assertThat(Objects.requireNonNull(log).warnings())
        .anyMatch(w -> w.contains("to the " + channel() + " channel (client_error: "));

    String next = raise("contract_after_rejected");
    awaitOutcomes(Outcomes.NONE.failed(Delivery.CLIENT_ERROR, 1).sent(1));
    assertThat(awaitReceived(2).get(1)).contains(next);
  }

  @Test
  void aDestinationThatAnswersTooLateTimesOutAndIsRetried() {
    applies(Fault.TIMEOUT);
    start(live());
    receiver().enqueue(accepted().after(HELD));
    String message = raise("contract_too_late");
    awaitReceived(1);

    advance(TIMEOUT.minusMillis(1));
    assertThat(outcomes()).isEqualTo(Outcomes.NONE);
    advance(Duration.ofMillis(1));
    // At once, not awaited: on the Monitoring's time, not after the channel's own time limit.
    assertThat(outcomes()).isEqualTo(Outcomes.NONE.retried(Delivery.TIMEOUT, 1));
    advance(atLeastOneToken(RETRY_DELAY));

    awaitOutcomes(Outcomes.NONE.retried(Delivery.TIMEOUT, 1).sent(1));
    assertThat(awaitReceived(2).get(1)).contains(message);
    assertThat(attempts()).isEqualTo(2);
  }

  @Test
  void aStalledDestinationFillsTheBoundedBacklogAndTheRestIsDroppedAndCounted() {
    applies(Fault.TIMEOUT);
    start(live());
    receiver().enqueue(accepted().after(HELD));
    raise("contract_stalled");
    awaitReceived(1);
    for (int i = 1; i < QUEUE_CAPACITY; i++) {
      raise("contract_waiting_" + i);
    }
    raise("contract_one_too_many");

    awaitOutcomes(Outcomes.NONE.dropped("backlog_full", 1));
    advance(TIMEOUT);
    assertThat(outcomes())
        .isEqualTo(Outcomes.NONE.dropped("backlog_full", 1).retried(Delivery.TIMEOUT, 1));
    deliverUntilSent(QUEUE_CAPACITY);

    awaitOutcomes(
        Outcomes.NONE.dropped("backlog_full", 1).retried(Delivery.TIMEOUT, 1).sent(QUEUE_CAPACITY));
    List<String> received = awaitReceived(QUEUE_CAPACITY + 1);
    assertThat(received).noneMatch(m -> m.contains("contract_one_too_many"));
  }

  @Test
  void aRefusedConnectionIsRetriedWithBackoffThenGivenUp() {
    applies(Fault.CONNECTION_REFUSED);
    start(new Target(FreePort.find(), null));
    raise("contract_refused");

    awaitOutcomes(Outcomes.NONE.retried(Delivery.CONNECT_ERROR, 1));
    for (int retry = 1; retry < MAX_ATTEMPTS; retry++) {
      advance(atLeastOneToken(RETRY_DELAY.multipliedBy(1L << (retry - 1))));
      awaitOutcomes(
          retry < MAX_ATTEMPTS - 1
              ? Outcomes.NONE.retried(Delivery.CONNECT_ERROR, retry + 1)
              : Outcomes.NONE
                  .retried(Delivery.CONNECT_ERROR, MAX_ATTEMPTS - 1)
                  .failed(Delivery.CONNECT_ERROR, 1));
    }
    advance(MAX_RETRY_DELAY);
    assertThat(attempts()).isEqualTo(MAX_ATTEMPTS);
    assertThat(Objects.requireNonNull(log).warnings())
        .anyMatch(
            w ->
                w.contains(
                    "to the "
                        + channel()
                        + " channel after "
                        + MAX_ATTEMPTS
                        + " attempts (connect_error"));
  }

  @Test
  void aChannelBesideThisOneThatThrowsIsRetriedAndNeitherStops() {
    Neighbour neighbour =
        new Neighbour(
            List.of(
                () -> {
                  throw new IllegalStateException("a bug in the channel");
                },
                () -> {
                  throw new NoClassDefFoundError("com/example/pager/Client");
                },
                () -> null,
                () -> CompletableFuture.failedFuture(new AssertionError("a failed stage"))));
    start(live(), neighbour);
    String first = raise("contract_beside_a_thrower");

    awaitOutcomes(Outcomes.NONE.sent(1));
    awaitOutcomes(NEIGHBOUR, Outcomes.NONE.retried(Delivery.CHANNEL_ERROR, 1));
    for (int retry = 1; retry < MAX_ATTEMPTS; retry++) {
      advance(atLeastOneToken(RETRY_DELAY.multipliedBy(1L << (retry - 1))));
      awaitOutcomes(
          NEIGHBOUR,
          retry < MAX_ATTEMPTS - 1
              ? Outcomes.NONE.retried(Delivery.CHANNEL_ERROR, retry + 1)
              : Outcomes.NONE.retried(Delivery.CHANNEL_ERROR, MAX_ATTEMPTS - 1).sent(1));
    }
    String second = raise("contract_after_the_throws");

    awaitOutcomes(Outcomes.NONE.sent(2));
    awaitOutcomes(
        NEIGHBOUR, Outcomes.NONE.retried(Delivery.CHANNEL_ERROR, MAX_ATTEMPTS - 1).sent(2));
    List<String> received = awaitReceived(2);
    assertThat(received.get(0)).contains(first);
    assertThat(received.get(1)).contains(second);
  }

  @Test
  void aChannelBesideThisOneThatEndsTheDeliveryThreadDoesNotStopDelivery() {
    Neighbour neighbour =
        new Neighbour(
            List.of(
                () -> {
                  throw new OutOfMemoryError("simulated by the contract");
                }));
    start(live(), neighbour);
    String first = raise("contract_beside_a_killer");

    awaitOutcomes(NEIGHBOUR, Outcomes.NONE.retried(Delivery.CHANNEL_ERROR, 1));
    await.untilAsserted(
        () ->
            assertThat(scrape().value("vigil_thread_restarts_total", "thread", "alerts"))
                .isEqualTo(1.0));
    awaitOutcomes(Outcomes.NONE.sent(1));
    String second = raise("contract_after_the_restart");
    advance(atLeastOneToken(RETRY_DELAY));

    awaitOutcomes(Outcomes.NONE.sent(2));
    awaitOutcomes(NEIGHBOUR, Outcomes.NONE.retried(Delivery.CHANNEL_ERROR, 1).sent(2));
    List<String> received = awaitReceived(2);
    assertThat(received.get(0)).contains(first);
    assertThat(received.get(1)).contains(second);
  }

  @Test
  void aBurstIsSentNoFasterThanTheRateLimit() {
    RateLimit limit = rateLimit();
    start(live());
    if (limit.unlimited()) {
      for (int i = 0; i < QUEUE_CAPACITY; i++) {
        raise("contract_burst_" + i);
      }
      awaitOutcomes(Outcomes.NONE.sent(QUEUE_CAPACITY));
      assertThat(awaitReceived(QUEUE_CAPACITY)).hasSize(QUEUE_CAPACITY);
      return;
    }
    int alerts = Math.min(limit.burst() + 2, QUEUE_CAPACITY);
    Duration interval = limit.period().dividedBy(limit.permits());
    for (int i = 0; i < alerts; i++) {
      raise("contract_burst_" + i);
    }
    int immediate = Math.min(limit.burst(), alerts);

    awaitOutcomes(Outcomes.NONE.sent(immediate));
    settle();
    assertThat(attempts()).isEqualTo(immediate);
    for (int sent = immediate + 1; sent <= alerts; sent++) {
      advance(interval.minusMillis(1));
      assertThat(attempts()).as("attempts a millisecond before the next token").isEqualTo(sent - 1);
      advance(Duration.ofMillis(1));
      awaitOutcomes(Outcomes.NONE.sent(sent));
    }
    assertThat(awaitReceived(alerts)).hasSize(alerts);
  }

  @Test
  void noSecretReachesThePayloadOrTheLog() {
    start(live());
    boolean echoes = !notApplicable().containsKey(Fault.CLIENT_ERRORS);
    if (echoes) {
      // A destination that echoes the request, secrets included, in its error answer: the
      // warning about it must not repeat them.
      receiver()
          .enqueue(
              HttpReceiver.Response.status(400)
                  .body("bad request: " + String.join(" | ", SecretCorpus.texts())));
      raiseSecrets("contract_secrets_rejected");
      awaitOutcomes(Outcomes.NONE.failed(Delivery.CLIENT_ERROR, 1));
    }
    raiseSecrets("contract_secrets");
    deliverUntilSent(1);

    Outcomes expected =
        echoes ? Outcomes.NONE.failed(Delivery.CLIENT_ERROR, 1).sent(1) : Outcomes.NONE.sent(1);
    awaitOutcomes(expected);
    List<String> received = awaitReceived(echoes ? 2 : 1);
    assertThat(received.get(received.size() - 1)).contains(SecretCorpus.VISIBLE);
    for (String message : received) {
      assertThat(SecretCorpus.leaks(message)).as("planted secrets in the message").isEmpty();
    }
    for (HttpReceiver.Request request : target().requests()) {
      assertThat(SecretCorpus.leaks(request.body())).as("planted secrets in the payload").isEmpty();
    }
  }

  @Test
  void anOversizedAlertIsDeliveredWithinTheLimitAndWellFormed() {
    start(live());
    StringBuilder text = new StringBuilder("Oversized alert: ");
    while (text.length() < 20_000) {
      text.append("<b>fish & chips</b> \"quoted\" caf\u00e9 \uD83D\uDE00 &amp; ");
    }
    Alert.Builder alert = Alert.builder("contract_oversized", Severity.ERROR, text.toString());
    String longValue = text.substring(0, 5_000);
    for (int i = 0; i < Alert.MAX_GROUPING_FIELDS; i++) {
      alert.groupBy("field_" + i, longValue);
    }
    for (int i = 0; i < Alert.MAX_CONTEXT_ENTRIES; i++) {
      alert.context("entry_" + i + "_<&>", longValue);
    }
    monitoring().alerts().send(alert.build());

    awaitOutcomes(Outcomes.NONE.sent(1));
    String message = awaitReceived(1).get(0);
    assertThat(message).contains("Oversized alert");
    assertThat(message.length()).as("message length").isLessThanOrEqualTo(maxMessageLength());
    assertWellFormed(message);
  }

  private void applies(Fault fault) {
    String reason = notApplicable().get(fault);
    Assumptions.assumeTrue(
        reason == null,
        () -> fault + " does not apply to the " + channel() + " channel: " + reason);
  }

  private Target live() {
    receiver = HttpReceiver.start(accepted());
    return new Target(receiver.port(), receiver);
  }

  private void start(Target target, AlertChannel... neighbours) {
    this.target = target;
    Monitoring.Builder builder =
        Monitoring.builder(SERVICE)
            .environment(SERVICE)
            .metricsHost("127.0.0.1")
            .metricsPort(0)
            .jvmMetrics(false)
            .discoverExtensions(false)
            .ticker(time)
            .clock(time.clock())
            .alerting(
                a ->
                    a.maxAttempts(MAX_ATTEMPTS)
                        .retryDelay(RETRY_DELAY, MAX_RETRY_DELAY)
                        .timeout(TIMEOUT)
                        .cooldown(Duration.ZERO)
                        .queueCapacity(QUEUE_CAPACITY)
                        .closeTimeout(Duration.ZERO));
    configure(builder, target);
    builder.alertChannel(probe).alertRouting(PROBE, Severity.INFO);
    for (AlertChannel neighbour : neighbours) {
      builder.alertChannel(neighbour).alertRouting(neighbour.name(), Severity.ERROR);
    }
    builder.alertRouting(channel(), Severity.ERROR);
    if (!"log".equals(channel())) {
      builder.alertRouting("log", Severity.CRITICAL);
    }
    monitoring = builder.build().start();
  }

  private String raise(String type) {
    String message = "Contract alert " + type + ": the payment gateway is down";
    monitoring().alerts().send(Alert.builder(type, Severity.ERROR, message).build());
    return message;
  }

  private void raiseSecrets(String type) {
    monitoring()
        .alerts()
        .send(
            Alert.builder(type, Severity.ERROR, String.join("; ", SecretCorpus.texts()))
                .groupBy("upstream", "upstream rejected api_key=" + SecretCorpus.GROUPING_API_KEY)
                .context(SecretCorpus.context())
                .error(SecretCorpus.exception())
                .build());
  }

  /**
   * Waits until the delivery thread has looked at the queues and the current time: it delivered a
   * probe raised after the previous probe was delivered, which it took in a later pass than the one
   * that delivered the first, so that pass started after this call and went over every channel.
   */
  private void settle() {
    for (int i = 0; i < 3; i++) {
      String probeMessage = "probe " + ++probes;
      monitoring().alerts().send(Alert.builder(PROBE, Severity.INFO, probeMessage).build());
      try {
        String delivered;
        do {
          delivered = probe.delivered.poll(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
          if (delivered == null) {
            fail("the delivery thread did not deliver a probe alert within " + AWAIT);
          }
        } while (!probeMessage.equals(delivered));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted");
      }
    }
  }

  private void advance(Duration duration) {
    time.advance(duration);
    settle();
  }

  /** {@code wait}, or the channel's interval between two sends if that is longer. */
  private Duration atLeastOneToken(Duration wait) {
    RateLimit limit = rateLimit();
    if (limit.unlimited()) {
      return wait;
    }
    Duration interval = limit.period().dividedBy(limit.permits());
    return interval.compareTo(wait) > 0 ? interval : wait;
  }

  /**
   * Moves time one retry delay (or one token, if longer) at a time until {@code sent} notifications
   * are sent: each step lets at least one more through.
   */
  private void deliverUntilSent(int sent) {
    for (long next = outcomes().sent() + 1; next <= sent; next++) {
      advance(atLeastOneToken(RETRY_DELAY));
      long expected = next;
      await.until(() -> outcomes().sent() >= expected);
    }
  }

  /** Delivery attempts the channel under test started, from Vigil's DEBUG line for each. */
  private long attempts() {
    return Objects.requireNonNull(attemptLog).events().stream()
        .filter(e -> e.getLevel() == Level.DEBUG && channel().equals(keyValue(e, "channel")))
        .count();
  }

  private static @Nullable Object keyValue(ILoggingEvent event, String key) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        if (key.equals(pair.key)) {
          return pair.value;
        }
      }
    }
    return null;
  }

  private List<String> awaitReceived(int count) {
    await.until(() -> received(target()).size() >= count);
    List<String> received = received(target());
    assertThat(received).as("what the destination received").hasSize(count);
    return received;
  }

  private void awaitOutcomes(Outcomes expected) {
    awaitOutcomes(channel(), expected);
  }

  private void awaitOutcomes(String channel, Outcomes expected) {
    await.untilAsserted(() -> assertThat(outcomes(channel)).isEqualTo(expected));
  }

  private Outcomes outcomes() {
    return outcomes(channel());
  }

  private Outcomes outcomes(String channel) {
    Scrape scrape = scrape();
    return new Outcomes(
        Math.round(
            scrape.matching("vigil_alerts_sent_total", "channel", channel).stream()
                .mapToDouble(Scrape.Sample::value)
                .sum()),
        byReason(scrape, "vigil_alerts_retried_total", channel),
        byReason(scrape, "vigil_alerts_failed_total", channel),
        byReason(scrape, "vigil_alerts_dropped_total", channel));
  }

  private static Map<String, Long> byReason(Scrape scrape, String metric, String channel) {
    Map<String, Long> counts = new TreeMap<>();
    for (Scrape.Sample sample : scrape.matching(metric, "channel", channel)) {
      if (sample.value() != 0) {
        counts.merge(sample.labels().get("reason"), Math.round(sample.value()), Long::sum);
      }
    }
    return counts;
  }

  private Scrape scrape() {
    InetSocketAddress address = monitoring().metricsAddress();
    if (address == null) {
      throw new AssertionError("the contract's Monitoring serves no /metrics");
    }
    return Scrape.of(address);
  }

  private static String reasonOf(int status) {
    return status == 408
        ? Delivery.TIMEOUT
        : status == 429 ? Delivery.RATE_LIMITED : Delivery.SERVER_ERROR;
  }

  private Monitoring monitoring() {
    return Objects.requireNonNull(monitoring, "start() first");
  }

  private Target target() {
    return Objects.requireNonNull(target, "start() first");
  }

  private HttpReceiver receiver() {
    return Objects.requireNonNull(receiver, "no receiver: nothing listens at this target");
  }

  /** The four counts of one channel, with the reasons of those that have one. */
  private record Outcomes(
      long sent, Map<String, Long> retried, Map<String, Long> failed, Map<String, Long> dropped) {
    static final Outcomes NONE = new Outcomes(0, Map.of(), Map.of(), Map.of());

    Outcomes sent(long count) {
      return new Outcomes(count, retried, failed, dropped);
    }

    Outcomes retried(String reason, long count) {
      return new Outcomes(sent, with(retried, reason, count), failed, dropped);
    }

    Outcomes failed(String reason, long count) {
      return new Outcomes(sent, retried, with(failed, reason, count), dropped);
    }

    Outcomes dropped(String reason, long count) {
      return new Outcomes(sent, retried, failed, with(dropped, reason, count));
    }

    private static Map<String, Long> with(Map<String, Long> counts, String reason, long count) {
      Map<String, Long> more = new TreeMap<>(counts);
      more.put(reason, count);
      return more;
    }

    @Override
    public String toString() {
      return "sent="
          + sent
          + " retried="
          + new TreeMap<>(retried)
          + " failed="
          + new TreeMap<>(failed)
          + " dropped="
          + new TreeMap<>(dropped);
    }
  }

  /** The monotonic ticker and the wall clock of the contract's Monitoring, moved by hand. */
  private static final class ContractTime implements Ticker {
    private final AtomicLong nanos = new AtomicLong(TimeUnit.SECONDS.toNanos(1));
    private volatile Instant origin = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Override
    public long read() {
      return nanos.get();
    }

    void advance(Duration duration) {
      nanos.addAndGet(duration.toNanos());
    }

    Instant now() {
      return origin.plusNanos(nanos.get());
    }

    /** Sets the wall clock to the system's now, for a channel that reads dates against it. */
    void syncWallClock() {
      origin = Instant.now().minusNanos(nanos.get());
    }

    Clock clock() {
      return new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now();
        }
      };
    }
  }

  /** The contract's own channel, whose deliveries tell that the delivery thread has run. */
  private static final class Probe implements AlertChannel {
    private static final CompletableFuture<Delivery> SENT =
        CompletableFuture.completedFuture(Delivery.sent());

    /** The messages of the probe alerts delivered; the probe also receives every other alert. */
    final LinkedBlockingQueue<String> delivered = new LinkedBlockingQueue<>();

    @Override
    public String name() {
      return PROBE;
    }

    @Override
    public CompletionStage<Delivery> deliver(Notification notification) {
      if (PROBE.equals(notification.type())) {
        delivered.add(notification.message());
      }
      return SENT;
    }
  }

  /** A channel beside the one under test that misbehaves as scripted, then delivers. */
  private static final class Neighbour implements AlertChannel {
    private final ArrayDeque<Supplier<@Nullable CompletionStage<Delivery>>> script;

    Neighbour(List<Supplier<@Nullable CompletionStage<Delivery>>> script) {
      this.script = new ArrayDeque<>(script);
    }

    @Override
    public String name() {
      return NEIGHBOUR;
    }

    @Override
    public CompletionStage<Delivery> deliver(Notification notification) {
      Supplier<@Nullable CompletionStage<Delivery>> next = script.poll(); // delivery thread only
      if (next == null) {
        return CompletableFuture.completedFuture(Delivery.sent());
      }
      return next.get();
    }
  }
}
