package dev.vigil.sentry.internal;

import dev.vigil.sentry.SentryReporter;
import dev.vigil.spi.Extension;
import dev.vigil.spi.ExtensionContext;

/**
 * The {@code ServiceLoader} entry of {@code vigil-sentry}: a {@link SentryReporter} configured from
 * the variables the {@code Monitoring} was configured from ({@code Monitoring.fromEnv} reads the
 * process environment; a Monitoring that read no environment gets no DSN, so no Sentry).
 */
public final class SentryDiscovery implements Extension {
  @Override
  public void install(ExtensionContext context) {
    SentryReporter.builder()
        .readEnvironment(context.settings(SentrySettings.VARIABLES.toArray(String[]::new)).asMap())
        .build()
        .install(context);
  }

  @Override
  public String name() {
    return "sentry";
  }
}
