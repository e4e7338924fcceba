package dev.vigil;

/**
 * A module that plugs into a {@link Monitoring} while it is built: {@code vigil-sentry} adds the
 * Sentry reporter, {@code vigil-logback} hands the service name and the redactor to the JSON
 * encoder. You rarely implement one yourself.
 *
 * <p>Extensions are found two ways. Those on the class path announce themselves in {@code
 * META-INF/services/dev.vigil.Extension} and are installed by every {@code Monitoring} (turn that
 * off with {@link Monitoring.Builder#discoverExtensions(boolean)}). And you can pass one,
 * configured in code, to {@link Monitoring.Builder#extension(Extension)}; a discovered extension
 * with the same {@link #name()} is then skipped, so yours wins.
 *
 * <pre>{@code
 * Monitoring monitoring = Monitoring.builder("api")
 *     .extension(SentryReporter.builder().dsn(dsn).release("1.4.2").build())
 *     .build();
 * }</pre>
 *
 * <p>{@link #install} runs once, at the end of {@link Monitoring.Builder#build()}. It may add error
 * listeners and close hooks (which run in {@link Monitoring#close()}). A configuration mistake
 * should throw {@link IllegalArgumentException} or {@link IllegalStateException} naming the
 * setting: {@code build()} passes it on, after running the close hooks installed so far.
 */
public interface Extension {
  /** Connects this extension to {@code monitoring}. */
  void install(Monitoring monitoring);

  /**
   * What this extension provides, such as {@code "sentry"}: a discovered extension is skipped when
   * one of the same name was given to the builder. Defaults to the class name.
   */
  default String name() {
    return getClass().getName();
  }
}
