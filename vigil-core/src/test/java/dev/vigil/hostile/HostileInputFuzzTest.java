package dev.vigil.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.vigil.Monitoring;
import dev.vigil.hostile.Calls.Call;
import dev.vigil.hostile.Calls.Kind;
import dev.vigil.hostile.Calls.Target;
import dev.vigil.testkit.HttpReceiver;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * Generated hostile calls against every public entry point, through the public API only, with the
 * operator's invariants checked after every batch ({@link Invariants}). More than 100,000 calls per
 * run: sequential batches, batches on four threads at once, strict mode, and calls after {@code
 * close()}.
 *
 * <p>A run is reproduced by its seed: {@code -Dvigil.fuzz.seed=N} (a failure report names it). A
 * call that throws is reported as the one call; a batch that breaks an invariant is shrunk, by
 * replaying ever smaller parts of it against a fresh monitoring, to the fewest calls that still
 * break it. Shrunk cases become named tests in {@code HostileInputRegressionTest}.
 */
class HostileInputFuzzTest {
  static final long SEED = Long.getLong("vigil.fuzz.seed", System.nanoTime());
  private static final int CALLS_PER_BATCH = 1600;
  private static final AtomicLong CALLS = new AtomicLong();
  private static final long STARTED = System.nanoTime();

  private static HttpReceiver receiver;
  private static LoggerContext logging;

  @BeforeAll
  static void start() {
    receiver = HttpReceiver.start(HttpReceiver.Response.ok("{}"));
    // Real Logback events (each builds its ThrowableProxy, which reads the hostile exception) and
    // real encoding of messages and key-value pairs, into nowhere: no disk filled, and no time
    // spent printing stack frames, which would be most of the suite's run time.
    logging = new LoggerContext();
    logging.setMDCAdapter(MDC.getMDCAdapter());
    logging.start();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(logging);
    encoder.setPattern("%level %logger %msg %kvp %mdc%n");
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(logging);
    appender.setEncoder(encoder);
    appender.setOutputStream(OutputStream.nullOutputStream());
    appender.start();
    logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    logging.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
  }

  @AfterAll
  static void stop() {
    receiver.close();
    logging.stop();
    double seconds = (System.nanoTime() - STARTED) / 1e9;
    System.out.printf(
        "hostile input fuzz: %d calls in %.1f s, seed %d%n", CALLS.get(), seconds, SEED);
    TIME.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(12)
        .forEach(e -> System.out.printf("  %8.1f ms  %s%n", e.getValue() / 1e6, e.getKey()));
    assertThat(CALLS.get()).as("generated calls per run").isGreaterThanOrEqualTo(100_000);
  }

  static Monitoring monitoring(boolean strict) {
    return Monitoring.builder("fuzz")
        .metricsHost("127.0.0.1")
        .metricsPort(0)
        .strict(strict)
        .maxLabelSets(200)
        .discoverExtensions(false)
        .loggerFactory(logging)
        .alertWebhook(receiver.url("/hook"))
        .alerting(a -> a.queueCapacity(2_000))
        .build()
        .start();
  }

  @Test
  void sequentialBatchesOfHostileCallsBreakNothing() {
    Invariants invariants = new Invariants(receiver);
    Hostile hostile = new Hostile(new SplittableRandom(SEED));
    Calls calls = new Calls();
    try (Monitoring monitoring = monitoring(false)) {
      Target target = new Target(monitoring);
      for (int batch = 0; batch < Integer.getInteger("vigil.fuzz.batches", 50); batch++) {
        List<Call> generated = generate(calls, hostile, CALLS_PER_BATCH);
        for (Call call : generated) {
          check(call, target, false, batch);
        }
        checkInvariants(invariants, monitoring, generated, batch);
      }
      System.out.printf(
          "invariants: endpoints %d ms, promtool %d ms, probe alert %d ms, heap %d ms%n",
          invariants.phaseNanos[0] / 1_000_000,
          invariants.phaseNanos[1] / 1_000_000,
          invariants.phaseNanos[2] / 1_000_000,
          invariants.phaseNanos[3] / 1_000_000);
    }
  }

  @Test
  void batchesOnFourThreadsAtOnceBreakNothing() throws Exception {
    Invariants invariants = new Invariants(receiver);
    Calls calls = new Calls();
    try (Monitoring monitoring = monitoring(false)) {
      Target target = new Target(monitoring);
      for (int batch = 0; batch < 8; batch++) {
        List<List<Call>> perThread = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          perThread.add(
              generate(calls, new Hostile(new SplittableRandom(SEED ^ (batch * 31L + t))), 400));
        }
        List<String> escaped = Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier together = new CyclicBarrier(4);
        CountDownLatch done = new CountDownLatch(4);
        int b = batch;
        for (List<Call> mine : perThread) {
          Thread thread =
              new Thread(
                  () -> {
                    try {
                      together.await();
                      for (Call call : mine) {
                        String problem = escape(call, target, false);
                        if (problem != null) {
                          escaped.add(problem);
                        }
                      }
                    } catch (Exception e) {
                      escaped.add(e.toString());
                    } finally {
                      done.countDown();
                    }
                  },
                  "fuzz-" + b);
          thread.start();
        }
        done.await();
        assertThat(escaped).as("seed %d, concurrent batch %d", SEED, batch).isEmpty();
        List<Call> all = new ArrayList<>();
        perThread.forEach(all::addAll);
        checkInvariants(invariants, monitoring, all, batch);
      }
    }
  }

  @Test
  void inStrictModeOnlyIllegalArgumentExceptionReachesTheCaller() {
    Invariants invariants = new Invariants(receiver);
    Hostile hostile = new Hostile(new SplittableRandom(SEED * 7 + 1));
    Calls calls = new Calls();
    try (Monitoring monitoring = monitoring(true)) {
      Target target = new Target(monitoring);
      for (int batch = 0; batch < 12; batch++) {
        for (Call call : generate(calls, hostile, 500)) {
          check(call, target, true, batch);
        }
        invariants.endpoints(monitoring);
      }
    }
  }

  @Test
  void callsAfterCloseBreakNothing() {
    Hostile hostile = new Hostile(new SplittableRandom(SEED * 13 + 5));
    Calls calls = new Calls();
    Monitoring monitoring = monitoring(false);
    Target target = new Target(monitoring);
    monitoring.close();
    for (int batch = 0; batch < 6; batch++) {
      for (Call call : generate(calls, hostile, 500)) {
        check(call, target, false, batch);
      }
    }
  }

  private static List<Call> generate(Calls calls, Hostile hostile, int n) {
    List<Call> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(calls.next(hostile));
    }
    return out;
  }

  private static void check(Call call, Target target, boolean strict, int batch) {
    String problem = escape(call, target, strict);
    if (problem != null) {
      String alone;
      try (Monitoring fresh = monitoring(strict)) {
        alone = escape(call, new Target(fresh), strict) == null ? "no" : "yes";
      }
      throw new AssertionError(
          "seed "
              + SEED
              + ", batch "
              + batch
              + ": "
              + problem
              + "\n  call: "
              + call.code()
              + "\n  fails on a fresh monitoring too: "
              + alone);
    }
  }

  /** Runs one call; null if it ended as its kind allows, otherwise what went wrong. */
  static String escape(Call call, Target target, boolean strict) {
    CALLS.incrementAndGet();
    long start = System.nanoTime();
    try {
      call.action().run(target);
      return call.expected() == null ? null : "the job's " + call.expected() + " was not rethrown";
    } catch (Throwable thrown) {
      if (call.kind() == Kind.JOB && thrown == call.expected()) {
        return null;
      }
      boolean configuration =
          call.kind() == Kind.CONFIGURE
              && (thrown instanceof IllegalArgumentException
                  || thrown instanceof NullPointerException);
      boolean strictRejection =
          strict && thrown instanceof IllegalArgumentException && thrown.getMessage() != null;
      if (configuration || strictRejection) {
        return null;
      }
      java.io.StringWriter trace = new java.io.StringWriter();
      thrown.printStackTrace(new java.io.PrintWriter(trace));
      String text = trace.toString();
      return "escaped: " + text.substring(0, Math.min(text.length(), 3_000));
    } finally {
      String code = call.code();
      int cut = code.indexOf('(');
      TIME.merge(cut < 0 ? code : code.substring(0, cut), System.nanoTime() - start, Long::sum);
    }
  }

  /** Time spent per kind of call, printed at the end: where the suite's run time goes. */
  private static final Map<String, Long> TIME = new ConcurrentHashMap<>();

  private static void checkInvariants(
      Invariants invariants, Monitoring monitoring, List<Call> batch, int index) {
    try {
      invariants.all(monitoring);
    } catch (AssertionError broken) {
      Predicate<List<Call>> breaks =
          candidate -> {
            try (Monitoring fresh = monitoring(false)) {
              Target target = new Target(fresh);
              for (Call call : candidate) {
                escape(call, target, false);
              }
              invariants.endpoints(fresh);
              return false;
            } catch (AssertionError stillBroken) {
              return true;
            }
          };
      String shrunk;
      if (breaks.test(batch)) {
        List<Call> minimal = shrink(batch, breaks);
        StringBuilder out = new StringBuilder();
        minimal.forEach(c -> out.append("\n    ").append(c.code()));
        shrunk = "shrunk to " + minimal.size() + " call(s):" + out;
      } else {
        shrunk = "does not reproduce on a fresh monitoring from this batch alone";
      }
      AssertionError failure =
          new AssertionError(
              "seed "
                  + SEED
                  + ", batch "
                  + index
                  + " broke an invariant: "
                  + broken.getMessage()
                  + "\n  "
                  + shrunk);
      failure.addSuppressed(broken);
      throw failure;
    }
  }

  /** Removes ever smaller chunks while the rest still breaks the invariant (delta debugging). */
  static List<Call> shrink(List<Call> calls, Predicate<List<Call>> breaks) {
    List<Call> current = calls;
    int chunk = Math.max(1, current.size() / 2);
    int replays = 0;
    while (replays < 80) {
      boolean removed = false;
      for (int start = 0; start < current.size() && replays < 80; start += chunk) {
        List<Call> candidate = new ArrayList<>(current.subList(0, start));
        candidate.addAll(current.subList(Math.min(current.size(), start + chunk), current.size()));
        replays++;
        if (!candidate.isEmpty() && breaks.test(candidate)) {
          current = candidate;
          removed = true;
          break;
        }
      }
      if (!removed) {
        if (chunk == 1) {
          break;
        }
        chunk = Math.max(1, chunk / 2);
      }
    }
    return current;
  }
}
