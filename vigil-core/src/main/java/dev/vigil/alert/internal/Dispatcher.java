package dev.vigil.alert.internal;

import dev.vigil.Ticker;
import dev.vigil.alert.AlertSettings;
import dev.vigil.alert.Severity;
import dev.vigil.internal.CoreMetrics;
import dev.vigil.internal.Throwables;
import dev.vigil.internal.WarnLimiter;
import dev.vigil.spi.AlertAgreement;
import dev.vigil.spi.AlertChannel;
import dev.vigil.spi.Delivery;
import dev.vigil.spi.Notification;
import dev.vigil.spi.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery thread: takes raised alerts off the bounded intake queue, turns them into
 * notifications (redaction happens here, off the caller's thread), fans them out to each channel's
 * bounded backlog, and keeps one delivery attempt in flight per channel, within the channel's rate
 * limit, retrying with backoff. It also emits the cool-down summaries.
 *
 * <p>All state but the intake, the completions and the wake-up flags belongs to this one thread, so
 * channels and backlogs need no locks. Time comes from the injected {@link Ticker}: with a fake
 * ticker, a test advances time and calls {@link #wake()} instead of waiting. HTTP attempts complete
 * on the HTTP client's threads and come back through {@link #completions}.
 */
final class Dispatcher implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger("dev.vigil.alerts");
  private static final long NONE = Long.MIN_VALUE;
  private static final long MAX_PARK_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final String service;
  private final Ticker ticker;
  private final BoundedQueue<Raised> intake;
  private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>();
  private final Episodes episodes;
  private final Function<Raised, Notification> prepare;
  private final AlertMetrics metrics;
  private final RetryPolicy retry;
  private final long attemptTimeoutNanos;
  private final int backlogCapacity;
  private final WarnLimiter warnings;
  private final Secrets secrets;
  private final CoreMetrics core;

  private volatile ChannelState[] channels = new ChannelState[0];
  private volatile @Nullable AlertAgreement agreement;
  private volatile Duration agreementHold = Duration.ZERO;
  private @Nullable Thread thread; // guarded by this
  private boolean startAllowed = true; // guarded by this
  private volatile @Nullable Thread running;
  private volatile boolean sleeping;
  private volatile boolean wakeRequested;
  private volatile boolean closing;
  private volatile boolean died;
  private volatile long closeDeadline;
  private final AtomicLong loops = new AtomicLong();
  private final RecentAlerts recent = new RecentAlerts();
  private long nextEpisodeCheck = NONE; // delivery thread only

  Dispatcher(
      String service,
      Ticker ticker,
      int capacity,
      Episodes episodes,
      Function<Raised, Notification> prepare,
      AlertMetrics metrics,
      RetryPolicy retry,
      long attemptTimeoutNanos,
      WarnLimiter warnings,
      Secrets secrets,
      CoreMetrics core) {
    this.service = service;
    this.ticker = ticker;
    this.intake = new BoundedQueue<>(capacity);
    this.backlogCapacity = capacity;
    this.episodes = episodes;
    this.prepare = prepare;
    this.metrics = metrics;
    this.retry = retry;
    this.attemptTimeoutNanos = attemptTimeoutNanos;
    this.warnings = warnings;
    this.secrets = secrets;
    this.core = core;
  }

  synchronized void addChannel(AlertChannel channel, Severity minSeverity) {
    ChannelState[] current = channels;
    for (ChannelState c : current) {
      if (c.name.equals(channel.name())) {
        throw new IllegalArgumentException(
            "An alert channel named '" + channel.name() + "' is already registered.");
      }
    }
    ChannelState[] next = Arrays.copyOf(current, current.length + 1);
    next[current.length] = new ChannelState(channel, minSeverity, ticker.read());
    channels = next;
    wake();
  }

  /**
   * Asks {@code agreement}, before the first attempt of each notification on each channel but the
   * log, whether this replica sends it; {@code hold} is how long a claim lasts.
   */
  synchronized void agreeOn(AlertAgreement agreement, Duration hold) {
    if (this.agreement != null) {
      throw new IllegalStateException(
          "Alerts are already agreed on through "
              + this.agreement.getClass().getName()
              + "; install one shared-store extension only");
    }
    this.agreementHold = hold;
    this.agreement = agreement;
  }

  /** The channels, for counting on the caller's thread (name and severity are final). */
  ChannelState[] channels() {
    return channels;
  }

  /** Queues a raised alert; false if the queue is full. Never blocks. */
  boolean offer(Raised raised) {
    if (!intake.offer(raised)) {
      return false;
    }
    Thread t = running;
    if (t == null) {
      start();
    } else if (died) {
      restartIfDead();
    } else if (sleeping) {
      LockSupport.unpark(t);
    }
    return true;
  }

  /**
   * The watchdog: starts the delivery thread again if it died (a {@link VirtualMachineError} is the
   * only thing that can end it before {@link #close}), and counts it in {@code
   * vigil_thread_restarts_total{thread="alerts"}}. Called on every offer and every scrape, so a
   * restart follows the next alert or the next scrape, never a loop of restarts.
   */
  void restartIfDead() {
    synchronized (this) {
      Thread t = thread;
      if (!startAllowed || t == null || (!died && t.isAlive())) {
        return;
      }
      thread = null;
      running = null;
      died = false;
      start();
    }
    core.threadRestarted("alerts");
    warnings.warn(
        "alerts|restarted",
        "Vigil's alert delivery thread for service '"
            + service
            + "' had died and was started again; queued alerts are delivered. See"
            + " vigil_thread_restarts_total and the error logged before this line.");
  }

  private synchronized void start() {
    if (thread != null || !startAllowed) {
      return;
    }
    Thread t = new Thread(this, "vigil-alerts-" + service);
    t.setDaemon(true);
    // Vigil reports its own thread's death (and the watchdog restarts it); the JVM's default
    // handler, or a test runner's, is not asked to.
    t.setUncaughtExceptionHandler(
        (dead, error) ->
            LOG.error(
                "Vigil's alert delivery thread for service '{}' died; the watchdog starts it"
                    + " again at the next alert or scrape",
                service,
                error));
    thread = t;
    running = t;
    t.start();
  }

  /** Makes the delivery thread look at its queues and the time again at once. */
  void wake() {
    wakeRequested = true;
    Thread t = running;
    if (t != null && sleeping) {
      LockSupport.unpark(t);
    }
  }

  /** The last notifications and their outcomes, for the KPI page. */
  RecentAlerts recent() {
    return recent;
  }

  /** How many times the delivery loop has run: tests wait for it to pass a wake-up. */
  long loops() {
    return loops.get();
  }

  /** Alerts in the intake queue. */
  int queued() {
    return intake.size();
  }

  int capacity() {
    return intake.capacity();
  }

  /** Notifications waiting for (or in delivery to) the named channel; -1 if there is none. */
  int backlog(String channel) {
    for (ChannelState c : channels) {
      if (c.name.equals(channel)) {
        return c.backlogSize;
      }
    }
    return -1;
  }

  /** Delivery attempts started for the named channel; -1 if there is none. */
  long attempts(String channel) {
    for (ChannelState c : channels) {
      if (c.name.equals(channel)) {
        return c.attemptsStarted;
      }
    }
    return -1;
  }

  /**
   * Delivers what is pending within {@code timeoutNanos} of real time, then stops the thread; what
   * is left is counted as dropped. Waits for the thread.
   */
  void close(long timeoutNanos) {
    Thread t;
    synchronized (this) {
      closeDeadline = System.nanoTime() + timeoutNanos;
      closing = true;
      startAllowed = false;
      t = thread;
    }
    if (t == null) {
      dropIntake(AlertMetrics.CLOSED);
      return;
    }
    wake();
    try {
      t.join(TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + 2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    boolean finished = false;
    try {
      while (true) {
        wakeRequested = false;
        long now = ticker.read();
        long next;
        try {
          next = step(now);
        } catch (Throwable e) {
          // Only a VirtualMachineError gets past this and ends the thread; the watchdog then
          // starts it again. Everything else is one failed step: logged, and tried again soon.
          Throwables.rethrowIfFatal(e);
          core.internalError("alert delivery", e);
          next = now + TimeUnit.SECONDS.toNanos(1);
        }
        long wait = next == Long.MAX_VALUE ? MAX_PARK_NANOS : next - now;
        if (closing) {
          if (idle()) {
            break;
          }
          long remaining = closeDeadline - System.nanoTime();
          if (remaining <= 0) {
            abandon();
            break;
          }
          wait = Math.min(wait, remaining);
        }
        park(wait);
        loops.incrementAndGet();
      }
      finished = true;
    } finally {
      if (finished || closing) {
        dropIntake(AlertMetrics.CLOSED);
      } else {
        died = true; // the queues and backlogs stay: the thread that replaces it delivers them
      }
      loops.incrementAndGet();
    }
  }

  private long step(long now) {
    Completion c;
    while ((c = completions.poll()) != null) {
      if (c.channel.inFlight && c.attempt == c.channel.attemptId) {
        complete(c.channel, c.delivery, now);
      } // else the attempt was abandoned (timed out, or dropped at close): its result is stale
    }
    boolean drained = false;
    Raised raised;
    while ((raised = intake.poll()) != null) {
      fanOut(raised);
      drained = true;
    }
    if (drained || closing || (nextEpisodeCheck != NONE && now - nextEpisodeCheck >= 0)) {
      long due = episodes.flush(now, closing, this::fanOut);
      nextEpisodeCheck = due == Long.MAX_VALUE ? NONE : due;
    }
    long next = nextEpisodeCheck == NONE ? Long.MAX_VALUE : nextEpisodeCheck;
    long remaining = closing ? closeDeadline - System.nanoTime() : Long.MAX_VALUE;
    for (ChannelState channel : channels) {
      next = Math.min(next, pump(channel, now, remaining));
    }
    return next;
  }

  private void fanOut(Raised raised) {
    Severity severity = raised.alert.severity();
    boolean wanted = false;
    for (ChannelState channel : channels) {
      if (!channel.routes(severity, raised.handledError)) {
        continue;
      }
      if (channel.backlog.size() >= backlogCapacity) {
        metrics.dropped(channel.name, AlertMetrics.BACKLOG_FULL);
        warnings.warn(
            "alerts|" + channel.name + "|backlog_full",
            "Vigil dropped an alert for the "
                + channel.name
                + " channel: "
                + backlogCapacity
                + " alerts are already waiting for it (it is slow, failing or rate-limited)."
                + " See vigil_alerts_dropped_total and vigil_alerts_retried_total; raise"
                + " ALERT_QUEUE_CAPACITY only if the bursts are real.");
      } else {
        wanted = true;
      }
    }
    if (!wanted) {
      return; // no channel takes it: skip the redaction work (it matters in a storm)
    }
    Notification n;
    try {
      n = prepare.apply(raised);
    } catch (Throwable e) {
      // One alert that cannot be turned into a notification (its error's getMessage() recurses,
      // its context throws): drop that one, count it, go on with the rest.
      Throwables.rethrowIfFatal(e);
      core.internalError("alert preparation", e);
      for (ChannelState channel : channels) {
        if (channel.routes(severity, raised.handledError)) {
          metrics.dropped(channel.name, AlertMetrics.UNPREPARABLE);
        }
      }
      return;
    }
    RecentAlerts.Entry record = recent.add(n);
    for (ChannelState channel : channels) {
      if (!channel.routes(severity, raised.handledError)) {
        continue;
      }
      if (channel.backlog.size() < backlogCapacity) {
        channel.backlog.addLast(new Attempt(n, record));
        channel.backlogSize = channel.backlog.size();
        recent.update(record, channel.name, RecentAlerts.Outcome.PENDING, null);
      } else {
        recent.update(
            record, channel.name, RecentAlerts.Outcome.DROPPED, AlertMetrics.BACKLOG_FULL);
      }
    }
  }

  /**
   * Starts the next attempt if nothing is in flight, and abandons one in flight for longer than the
   * attempt timeout; returns when to look at the channel again.
   */
  private long pump(ChannelState channel, long now, long remaining) {
    while (true) {
      if (channel.inFlight) {
        long deadline = channel.inFlightSince + attemptTimeoutNanos;
        if (now - deadline < 0) {
          return deadline;
        }
        timeOut(channel, now);
        continue;
      }
      Attempt head = channel.backlog.peekFirst();
      if (head == null) {
        return Long.MAX_VALUE;
      }
      if (!head.agreed) {
        head.agreed = true;
        Notification owned = ownedHere(channel, head.notification);
        if (owned == null) {
          removeHead(channel);
          metrics.suppressed(channel.name, AlertMetrics.CLUSTER_DUPLICATE);
          continue;
        }
        head.notification = owned;
      }
      long wait = 0;
      if (channel.notBefore != NONE && now - channel.notBefore < 0) {
        wait = channel.notBefore - now;
      } else if (channel.bucket != null) {
        wait = channel.bucket.waitNanos(now);
      }
      if (wait > 0) {
        if (wait > remaining) {
          // Closing, and the next send cannot happen before the deadline; neither can the rest.
          dropBacklog(channel, AlertMetrics.CLOSE_DEADLINE);
          return Long.MAX_VALUE;
        }
        return now + wait;
      }
      if (channel.bucket != null) {
        channel.bucket.take(now);
      }
      head.attempts++;
      channel.attemptsStarted++;
      long attempt = ++channel.attemptId;
      channel.inFlight = true;
      channel.inFlightSince = now;
      if (LOG.isDebugEnabled()) {
        LOG.atDebug()
            .addKeyValue("channel", channel.name)
            .addKeyValue("attempt", head.attempts)
            .log(
                "Vigil: delivering alert {} to the {} channel, attempt {} of {}",
                head.notification.type(),
                channel.name,
                head.attempts,
                retry.maxAttempts());
      }
      CompletableFuture<Delivery> future;
      try {
        future = channel.channel.deliver(head.notification).toCompletableFuture();
      } catch (Throwable e) {
        if (Throwables.isFatal(e)) {
          // The thread ends with this error and the watchdog starts another: leave the channel as
          // that thread must find it, with this attempt over, or the channel never sends again.
          complete(
              channel, Delivery.retry(Delivery.CHANNEL_ERROR, -1, e.getClass().getName()), now);
          throw (Error) e;
        }
        future =
            CompletableFuture.completedFuture(
                Delivery.retry(Delivery.CHANNEL_ERROR, -1, e.getClass().getName()));
      }
      if (future.isDone()) {
        complete(channel, result(future), now);
        continue;
      }
      channel.inFlightFuture = future;
      future.whenComplete(
          (delivery, error) -> {
            completions.add(
                new Completion(
                    channel,
                    attempt,
                    delivery != null
                        ? delivery
                        : Delivery.retry(Delivery.CHANNEL_ERROR, -1, String.valueOf(error))));
            wake();
          });
    }
  }

  /**
   * Gives up waiting for the attempt in flight: it counts as a timeout and is retried like one, and
   * its result, should it still come, is ignored. A channel whose stage never completes would
   * otherwise never send again.
   */
  private void timeOut(ChannelState channel, long now) {
    CompletableFuture<Delivery> future = channel.inFlightFuture;
    channel.inFlightFuture = null;
    complete(
        channel,
        Delivery.retry(
            Delivery.TIMEOUT,
            -1,
            "no result within "
                + TimeUnit.NANOSECONDS.toMillis(attemptTimeoutNanos)
                + " ms (ALERT_TIMEOUT)"),
        now);
    if (future != null) {
      future.cancel(true); // lets a channel that supports it stop the work; its result is stale
    }
  }

  /**
   * What this replica sends of {@code n} on {@code channel}: {@code n}, with the repeats other
   * replicas suppressed added to it, or null if another replica claimed it.
   */
  private @Nullable Notification ownedHere(ChannelState channel, Notification n) {
    AlertAgreement a = agreement;
    if (a == null || AlertSettings.LOG.equals(channel.name)) {
      return n;
    }
    try {
      AlertAgreement.Claimed claimed = a.claimAndTally(channel.name, n, agreementHold);
      if (claimed.claim() == AlertAgreement.Claim.DUPLICATE) {
        return null;
      }
      return claimed.othersOccurrences() > 0
          ? withOthers(n, claimed.othersOccurrences(), claimed.othersFirstSeen())
          : n;
    } catch (Throwable e) { // the store's code: everything but a failing JVM
      Throwables.rethrowIfFatal(e);
      core.internalError("alert agreement", e);
      return n; // fail open: a lost alert is worse than a duplicate
    }
  }

  /**
   * {@code n} standing for {@code more} occurrences more, the earliest perhaps at {@code since}.
   */
  static Notification withOthers(Notification n, long more, @Nullable Instant since) {
    Instant first = since != null && since.isBefore(n.firstSeen()) ? since : n.firstSeen();
    long occurrences = n.occurrences() + more < 0 ? Long.MAX_VALUE : n.occurrences() + more;
    return Notification.builder(n.type(), n.severity(), n.message())
        .service(n.service())
        .environment(n.environment())
        .errorType(n.errorType())
        .key(n.key())
        .grouping(n.grouping())
        .context(n.context())
        .time(n.time())
        .firstSeen(first)
        .episodeStart(first.isBefore(n.episodeStart()) ? first : n.episodeStart())
        .occurrences(occurrences)
        .build();
  }

  private static Delivery result(CompletableFuture<Delivery> done) {
    try {
      Delivery d = done.join();
      return d != null ? d : Delivery.retry(Delivery.CHANNEL_ERROR, -1, "no result");
    } catch (Throwable e) {
      Throwables.rethrowIfFatal(e);
      return Delivery.retry(Delivery.CHANNEL_ERROR, -1, e.getClass().getName());
    }
  }

  private void complete(ChannelState channel, Delivery delivery, long now) {
    channel.inFlight = false;
    channel.inFlightFuture = null;
    Attempt head = channel.backlog.peekFirst();
    if (head == null) {
      return; // dropped at the close deadline while in flight
    }
    switch (delivery.outcome()) {
      case SENT:
        removeHead(channel);
        channel.notBefore = NONE;
        metrics.sent(channel.name);
        recent.update(head.record, channel.name, RecentAlerts.Outcome.SENT, null);
        return;
      case FAILED:
        giveUp(channel, head, delivery, "");
        return;
      default:
        break;
    }
    long asked = delivery.retryAfterNanos();
    if (asked >= 0) {
      // The server's wait holds for the channel, not only for this notification: the next one is
      // not sent before it either, even when this one is given up.
      channel.notBefore = now + asked;
    }
    if (head.attempts >= retry.maxAttempts()) {
      giveUp(channel, head, delivery, " after " + head.attempts + " attempts");
      return;
    }
    long delay;
    if (asked >= 0) {
      if (asked > retry.maxDelayNanos()) {
        giveUp(
            channel,
            head,
            delivery,
            ": the server asked to wait "
                + TimeUnit.NANOSECONDS.toSeconds(asked)
                + " s, longer than the longest retry delay (ALERT_MAX_RETRY_DELAY)");
        return;
      }
      delay = asked;
    } else {
      delay = retry.backoffNanos(head.attempts);
    }
    metrics.retried(channel.name, delivery.reason());
    recent.update(head.record, channel.name, RecentAlerts.Outcome.RETRYING, delivery.reason());
    channel.notBefore = now + delay;
  }

  private void giveUp(ChannelState channel, Attempt head, Delivery delivery, String why) {
    removeHead(channel);
    metrics.failed(channel.name, delivery.reason());
    recent.update(head.record, channel.name, RecentAlerts.Outcome.FAILED, delivery.reason());
    warnings.warn(
        "alerts|" + channel.name + "|failed|" + delivery.reason(),
        "Vigil could not deliver alert "
            + head.notification.type()
            + " to the "
            + channel.name
            + " channel"
            + why
            + " ("
            + delivery.reason()
            + ": "
            + secrets.scrub(delivery.detail())
            + "); see vigil_alerts_failed_total.");
  }

  private static void removeHead(ChannelState channel) {
    channel.backlog.pollFirst();
    channel.backlogSize = channel.backlog.size();
  }

  private boolean idle() {
    if (!intake.isEmpty() || !completions.isEmpty() || episodes.hasPending()) {
      return false;
    }
    for (ChannelState channel : channels) {
      if (!channel.backlog.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** At the close deadline: everything not delivered yet is counted as dropped. */
  private void abandon() {
    for (ChannelState channel : channels) {
      dropBacklog(channel, AlertMetrics.CLOSE_DEADLINE);
    }
    dropIntake(AlertMetrics.CLOSE_DEADLINE);
  }

  private void dropBacklog(ChannelState channel, String reason) {
    int n = channel.backlog.size();
    if (n == 0) {
      return;
    }
    for (int i = 0; i < n; i++) {
      metrics.dropped(channel.name, reason);
    }
    channel.backlog.clear();
    channel.backlogSize = 0;
    warnings.warn(
        "alerts|" + channel.name + "|" + reason,
        "Vigil dropped "
            + n
            + " undelivered alert(s) for the "
            + channel.name
            + " channel at"
            + " close: they could not be delivered within ALERT_CLOSE_TIMEOUT.");
  }

  private void dropIntake(String reason) {
    Raised raised;
    while ((raised = intake.poll()) != null) {
      Severity severity = raised.alert.severity();
      for (ChannelState channel : channels) {
        if (channel.routes(severity, raised.handledError)) {
          metrics.dropped(channel.name, reason);
        }
      }
    }
  }

  private void park(long nanos) {
    if (nanos <= 0) {
      return;
    }
    sleeping = true;
    try {
      if (!wakeRequested && intake.isEmpty() && completions.isEmpty()) {
        LockSupport.parkNanos(this, Math.min(nanos, MAX_PARK_NANOS));
      }
    } finally {
      sleeping = false;
    }
  }

  /** One channel as the delivery thread sees it. */
  static final class ChannelState {
    final AlertChannel channel;
    final String name;
    final Severity minSeverity;
    final boolean receivesHandledErrors;
    final @Nullable TokenBucket bucket;
    final ArrayDeque<Attempt> backlog = new ArrayDeque<>();
    volatile int backlogSize;
    volatile long attemptsStarted; // written by the delivery thread only
    boolean inFlight;
    long inFlightSince;
    long attemptId;
    @Nullable CompletableFuture<Delivery> inFlightFuture;
    long notBefore = NONE;

    ChannelState(AlertChannel channel, Severity minSeverity, long now) {
      this.channel = channel;
      this.name = channel.name();
      this.minSeverity = minSeverity;
      this.receivesHandledErrors = channel.receivesHandledErrors();
      RateLimit limit = channel.rateLimit();
      this.bucket =
          limit.unlimited()
              ? null
              : new TokenBucket(limit.permits(), limit.period().toNanos(), limit.burst(), now);
    }

    /**
     * Whether an alert of {@code severity} goes to this channel; {@code handledError} as in {@link
     * Raised#handledError}.
     */
    boolean routes(Severity severity, boolean handledError) {
      return severity.atLeast(minSeverity) && !(handledError && receivesHandledErrors);
    }
  }

  /** A notification on its way to one channel, and the attempts made so far. */
  static final class Attempt {
    Notification notification; // with the other replicas' repeats, once agreed
    final RecentAlerts.Entry record;
    int attempts;
    boolean agreed;

    Attempt(Notification notification, RecentAlerts.Entry record) {
      this.notification = notification;
      this.record = record;
    }
  }

  private static final class Completion {
    final ChannelState channel;
    final long attempt;
    final Delivery delivery;

    Completion(ChannelState channel, long attempt, Delivery delivery) {
      this.channel = channel;
      this.attempt = attempt;
      this.delivery = delivery;
    }
  }
}
