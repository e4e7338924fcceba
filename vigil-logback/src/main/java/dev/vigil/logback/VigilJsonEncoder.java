package dev.vigil.logback;

import dev.vigil.logback.internal.VigilFieldsJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventFormattedTimestampJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;

/**
 * Vigil's JSON log line: one JSON object per line, every secret redacted. Installed for you when
 * your application has no Logback configuration file of its own; put it in yours to get the same
 * lines:
 *
 * <pre>{@code
 * <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
 *   <encoder class="dev.vigil.logback.VigilJsonEncoder"/>
 * </appender>
 * }</pre>
 *
 * <p>A line of {@code monitoring.logger().info("Message received", Map.of("userId", 42, "text",
 * "hi"))}:
 *
 * <pre>{@code
 * {"timestamp":"2025-06-01T10:00:00.123Z","level":"INFO","service":"bot",
 *  "environment":"production","logger":"bot","thread":"main","message":"Message received",
 *  "requestId":"r-1","userId":42,"text":"hi"}
 * }</pre>
 *
 * <p>In order: {@code timestamp} (ISO-8601, UTC, milliseconds), {@code level}, {@code service},
 * {@code environment}, {@code logger}, {@code thread}, {@code message}, the {@link
 * dev.vigil.LogContext} ids from the MDC ({@code userId}, {@code requestId}, {@code jobId}, ...),
 * the structured fields (SLF4J key-value pairs), and {@code stack_trace} when there is an
 * exception. Lines logged through plain SLF4J carry the same fields; their service and environment
 * are those of the last {@code Monitoring} built, or, before one is, {@code OTEL_SERVICE_NAME} /
 * {@code SERVICE_NAME} and {@code APP_ENV} / {@code ENVIRONMENT}.
 *
 * <p>The message, the MDC values, the fields and the stack trace all pass through the {@code
 * Monitoring}'s {@link dev.vigil.Redactor}, whichever logger wrote the line.
 */
public class VigilJsonEncoder extends LoggingEventCompositeJsonEncoder {
  /** Timestamps: ISO-8601 in UTC with milliseconds, such as {@code 2025-06-01T10:00:00.123Z}. */
  public static final String TIMESTAMP_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSX";

  public VigilJsonEncoder() {
    LoggingEventFormattedTimestampJsonProvider timestamp =
        new LoggingEventFormattedTimestampJsonProvider();
    timestamp.setFieldName("timestamp");
    timestamp.setPattern(TIMESTAMP_PATTERN);
    timestamp.setTimeZone("UTC");
    getProviders().addProvider(timestamp);
    getProviders().addProvider(new VigilFieldsJsonProvider());
    setFindAndRegisterJacksonModules(false);
    setLineSeparator("\n");
  }
}
