package dev.vigil.sentry.internal;

import dev.vigil.Extension;
import dev.vigil.Monitoring;
import dev.vigil.sentry.SentryReporter;

/**
 * The {@code ServiceLoader} entry of {@code vigil-sentry}: a {@link SentryReporter} configured from
 * the variables the {@code Monitoring} was configured from ({@code Monitoring.fromEnv} reads the
 * process environment; a Monitoring that read no environment gets no DSN, so no Sentry).
 */
public final class SentryDiscovery implements Extension {
  @Override
  public void install(Monitoring monitoring) {
    SentryReporter.builder().readEnvironment(monitoring.settings()).build().install(monitoring);
  }

  @Override
  public String name() {
    return "sentry";
  }
}
