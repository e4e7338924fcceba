package dev.vigil.logback.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Context;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.logback.RedactingThrowableConverter;
import java.io.IOException;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Writes everything of a Vigil JSON line after the timestamp: {@code level}, {@code service},
 * {@code environment}, {@code logger}, {@code thread}, {@code message} (redacted), the log context
 * ids and the fields (see {@link EventFields}), and {@code stack_trace} (redacted).
 */
public final class VigilFieldsJsonProvider extends AbstractJsonProvider<ILoggingEvent> {
  private final RedactingThrowableConverter throwableConverter = new RedactingThrowableConverter();

  @Override
  public void setContext(Context context) {
    super.setContext(context);
    throwableConverter.setContext(context);
  }

  @Override
  public void start() {
    throwableConverter.start();
    super.start();
  }

  @Override
  public void stop() {
    throwableConverter.stop();
    super.stop();
  }

  @Override
  public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
    LogIdentity identity = LogIdentity.of(getContext());
    generator.writeStringField("level", event.getLevel().toString());
    generator.writeStringField(EventFields.SERVICE, EventFields.service(event, identity));
    generator.writeStringField(EventFields.ENVIRONMENT, EventFields.environment(event, identity));
    generator.writeStringField("logger", event.getLoggerName());
    generator.writeStringField("thread", event.getThreadName());
    generator.writeStringField(
        "message", identity.redactor().redactText(event.getFormattedMessage()));
    EventFields.forEach(
        event,
        identity.redactor(),
        (name, value) -> {
          generator.writeFieldName(name);
          generator.writeObject(value);
        });
    if (event.getThrowableProxy() != null) {
      generator.writeStringField("stack_trace", throwableConverter.convert(event));
    }
  }

  @Override
  public void prepareForDeferredProcessing(ILoggingEvent event) {
    event.prepareForDeferredProcessing();
  }
}
