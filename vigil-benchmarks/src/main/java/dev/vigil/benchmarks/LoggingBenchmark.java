package dev.vigil.benchmarks;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.vigil.Monitoring;
import dev.vigil.StructuredLogger;
import dev.vigil.logback.VigilJsonEncoder;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.MDC;

/**
 * The cost of one log line, written to a discarding stream so that only formatting is measured:
 *
 * <ul>
 *   <li>{@code vigilJsonLine}: the seed's {@code logger.info({userId, text}, 'Message received')}
 *       through {@code monitoring.logger()} and {@link VigilJsonEncoder} (redaction of fields and
 *       message in the logger and again in the encoder, JSON with the service, the environment and
 *       a {@code requestId} from the MDC);
 *   <li>{@code plainPatternLine}: the same information through plain SLF4J and a Logback {@code
 *       PatternLayoutEncoder} ({@code %d %-5level [%thread] %logger - %msg %X{requestId}%n}), the
 *       baseline most services start from;
 *   <li>{@code plainSlf4jThroughVigilJson}: plain SLF4J into the Vigil encoder (the encoder's
 *       share);
 *   <li>{@code vigilJsonLineAsync}: {@code vigilJsonLine} behind Logback's {@link AsyncAppender}
 *       ({@code LOG_ASYNC=true}: queue of 8192, never blocking): what the calling thread pays when
 *       encoding moves to the appender's thread. When the writer falls behind, the queue fills and
 *       further events are dropped, so this measures the hand-over, not the throughput;
 *   <li>{@code vigilDisabledLevel}: a DEBUG line at level INFO, the cost of a line nobody sees.
 * </ul>
 *
 * <p>Run: {@code java -jar vigil-benchmarks/target/benchmarks.jar LoggingBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LoggingBenchmark {
  static final String USER_ID = "user-123";
  static final String TEXT = "Draw me a cat wearing a hat";

  LoggerContext vigilContext;
  LoggerContext plainContext;
  LoggerContext asyncContext;
  Monitoring monitoring;
  Monitoring asyncMonitoring;
  StructuredLogger vigil;
  StructuredLogger vigilAsync;
  org.slf4j.Logger plain;
  org.slf4j.Logger plainIntoVigil;

  @Setup
  public void setUp() {
    vigilContext = context();
    attach(vigilContext, discarding(vigilContext, jsonEncoder(vigilContext)));
    plainContext = context();
    PatternLayoutEncoder pattern = new PatternLayoutEncoder();
    pattern.setContext(plainContext);
    pattern.setPattern("%d %-5level [%thread] %logger - %msg %X{requestId}%n");
    pattern.start();
    attach(plainContext, discarding(plainContext, pattern));
    asyncContext = context();
    AsyncAppender async = new AsyncAppender();
    async.setContext(asyncContext);
    async.setQueueSize(8192);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.addAppender(discarding(asyncContext, jsonEncoder(asyncContext)));
    async.start();
    attach(asyncContext, async);

    monitoring = monitoring(vigilContext);
    asyncMonitoring = monitoring(asyncContext);
    vigil = monitoring.logger();
    vigilAsync = asyncMonitoring.logger();
    plain = plainContext.getLogger("bot");
    plainIntoVigil = vigilContext.getLogger("bot");
    MDC.put("requestId", "req-42");
  }

  @TearDown
  public void tearDown() {
    monitoring.close();
    asyncMonitoring.close();
    vigilContext.stop();
    plainContext.stop();
    asyncContext.stop();
    MDC.clear();
  }

  @Benchmark
  public void vigilJsonLine() {
    vigil.info("Message received", Map.of("userId", USER_ID, "text", TEXT));
  }

  @Benchmark
  public void plainPatternLine() {
    plain.info("Message received userId={} text={}", USER_ID, TEXT);
  }

  @Benchmark
  public void plainSlf4jThroughVigilJson() {
    plainIntoVigil.info("Message received userId={} text={}", USER_ID, TEXT);
  }

  @Benchmark
  public void vigilJsonLineAsync() {
    vigilAsync.info("Message received", Map.of("userId", USER_ID, "text", TEXT));
  }

  @Benchmark
  public void vigilDisabledLevel() {
    vigil.debug("Message received", Map.of("userId", USER_ID, "text", TEXT));
  }

  private static LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    context.start();
    return context;
  }

  private static Monitoring monitoring(LoggerContext context) {
    return Monitoring.builder("bot")
        .environment("production")
        .metricsEnabled(false)
        .jvmMetrics(false)
        .loggerFactory(context)
        .build();
  }

  private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
    VigilJsonEncoder encoder = new VigilJsonEncoder();
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  private static Appender<ILoggingEvent> discarding(
      LoggerContext context, Encoder<ILoggingEvent> encoder) {
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(OutputStream.nullOutputStream());
    appender.start();
    return appender;
  }

  private static void attach(LoggerContext context, Appender<ILoggingEvent> appender) {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(appender);
  }
}
