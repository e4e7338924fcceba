package dev.vigil.spi;

/**
 * A module that plugs into a {@code Monitoring} while it is built: {@code vigil-sentry} adds the
 * Sentry reporter and the {@code sentry} alert channel, {@code vigil-logback} hands the service
 * name and the redactor to the JSON encoder. Applications rarely need one: to send alerts somewhere
 * new, an {@link AlertChannel} passed to {@code Monitoring.Builder.alertChannel(..)} is enough.
 *
 * <p>Extensions are found two ways. Those on the class path announce themselves in {@code
 * META-INF/services/dev.vigil.spi.Extension} and are installed by every {@code Monitoring} (turn
 * that off with {@code Monitoring.Builder.discoverExtensions(false)}). And one configured in code
 * can be passed to {@code Monitoring.Builder.extension(..)}; a discovered extension with the same
 * {@link #name()} is then skipped, so the one given in code wins.
 *
 * <pre>{@code
 * public final class ErrorWebhookExtension implements Extension {
 *   public String name() { return "error-webhook"; }
 *
 *   public void install(ExtensionContext context) {
 *     Settings settings = context.settings("ERROR_WEBHOOK_");    // only ERROR_WEBHOOK_* variables
 *     URI url = settings.uri("ERROR_WEBHOOK_URL", "https");
 *     if (url == null) {
 *       return;                                                 // not configured: do nothing
 *     }
 *     HttpClient client = HttpClient.newHttpClient();
 *     context.addErrorListener((error, type, severity, redacted) ->
 *         client.sendAsync(HttpRequest.newBuilder(url)
 *             .POST(BodyPublishers.ofString(severity + " " + type)).build(),
 *             BodyHandlers.discarding()));
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #install} runs once, at the end of {@code Monitoring.Builder.build()}. A configuration
 * mistake should throw {@link IllegalArgumentException} or {@link IllegalStateException} naming the
 * setting (the {@link Settings} readers do): {@code build()} passes it on, after running the close
 * hooks installed so far.
 */
public interface Extension {
  /** Connects this extension to the {@code Monitoring} being built. */
  void install(ExtensionContext context);

  /**
   * What this extension provides, such as {@code "sentry"}: a discovered extension is skipped when
   * one of the same name was given to the builder. Defaults to the class name.
   */
  default String name() {
    return getClass().getName();
  }
}
