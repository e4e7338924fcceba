package dev.vigil.logback.internal;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.hook.DefaultShutdownHook;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.Loader;
import dev.vigil.logback.VigilJsonEncoder;
import dev.vigil.logback.VigilPrettyLayout;
import java.net.URL;
import java.util.List;
import java.util.Map;

/**
 * Configures Logback for Vigil when the application brings no configuration of its own: one console
 * appender writing {@link VigilJsonEncoder} lines (or {@link VigilPrettyLayout} lines with {@code
 * LOG_FORMAT=pretty}), the root level from {@code LOG_LEVEL}, and with {@code LOG_ASYNC=true} an
 * {@link AsyncAppender} in front of it.
 *
 * <p>Logback runs the configurators it finds through {@code ServiceLoader} before its own, whatever
 * their rank (Logback 1.5's {@code ContextInitializer}), so this one first looks for what Logback's
 * own {@code DefaultJoranConfigurator} and {@code SerializedModelConfigurator} would use: the
 * {@code logback.configurationFile} and {@code logback.scmoFile} system properties and the {@code
 * logback-test.xml}, {@code logback.xml}, {@code logback-test.scmo} and {@code logback.scmo}
 * resources. If any exists, it does nothing and lets Logback go on; the application's configuration
 * is used as it is. Frameworks that configure Logback themselves (Spring Boot) replace this
 * configuration in the same way.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_LOW_PRIORITY)
public final class VigilConfigurator extends ContextAwareBase implements Configurator {
  /** Context property recording which format Vigil configured; absent when it configured none. */
  public static final String FORMAT_PROPERTY = "VIGIL_LOG_FORMAT";

  static final String APPENDER = "VIGIL_CONSOLE";
  static final String ASYNC_APPENDER = "VIGIL_ASYNC";

  /** Events the asynchronous appender holds at most; when full, new events are dropped. */
  static final int ASYNC_QUEUE_SIZE = 8192;

  private static final List<String> CONFIGURATION_FILES =
      List.of("logback-test.xml", "logback.xml", "logback-test.scmo", "logback.scmo");

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    URL own = applicationConfiguration();
    if (own != null) {
      addInfo("Vigil leaves Logback to the application's configuration at " + own);
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    if (System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null
        || System.getProperty(ClassicConstants.MODEL_CONFIG_FILE_PROPERTY) != null) {
      addInfo("Vigil leaves Logback to the configuration file named by a system property");
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    configure(context, System.getenv());
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Installs Vigil's console output into {@code context} from these variables. */
  public static void configure(LoggerContext context, Map<String, String> variables) {
    LogSettings settings = LogSettings.read(variables);
    VigilConfigurator reporter = new VigilConfigurator();
    reporter.setContext(context);
    for (LogSettings.Problem problem : settings.problems()) {
      reporter.addError(problem.message() + "; " + problem.fallback());
    }

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(APPENDER);
    console.setEncoder(encoder(context, settings.pretty()));
    console.start();

    Appender<ILoggingEvent> appender = console;
    if (settings.async()) {
      AsyncAppender async = new AsyncAppender();
      async.setContext(context);
      async.setName(ASYNC_APPENDER);
      async.setQueueSize(ASYNC_QUEUE_SIZE);
      // Keep INFO lines when the queue fills (the default drops them first), but never make the
      // caller wait: a full queue drops the event. Memory stays bounded either way.
      async.setDiscardingThreshold(0);
      async.setNeverBlock(true);
      async.addAppender(console);
      async.start();
      appender = async;
      // Drain the queue at exit.
      DefaultShutdownHook hook = new DefaultShutdownHook();
      hook.setContext(context);
      Runtime.getRuntime().addShutdownHook(new Thread(hook, "vigil-logback-shutdown"));
    }

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(settings.level());
    root.addAppender(appender);
    context.putProperty(FORMAT_PROPERTY, settings.pretty() ? "pretty" : "json");
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean pretty) {
    if (pretty) {
      VigilPrettyLayout layout = new VigilPrettyLayout();
      layout.setContext(context);
      layout.start();
      LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
      encoder.setContext(context);
      encoder.setLayout(layout);
      encoder.start();
      return encoder;
    }
    VigilJsonEncoder encoder = new VigilJsonEncoder();
    encoder.setContext(context);
    encoder.start();
    return encoder;
  }

  private URL applicationConfiguration() {
    ClassLoader loader = Loader.getClassLoaderOfObject(this);
    for (String name : CONFIGURATION_FILES) {
      URL url = Loader.getResource(name, loader);
      if (url != null) {
        return url;
      }
    }
    return null;
  }
}
