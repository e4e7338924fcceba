package dev.vigil.sentry;

import dev.vigil.Monitoring;
import dev.vigil.testkit.SentryReceiver;
import io.sentry.Sentry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A Sentry receiver on 127.0.0.1 and the Monitorings a test builds against it, closed together with
 * the Sentry SDK (which is global) after each test.
 */
final class SentryFixture implements AutoCloseable {
  final SentryReceiver receiver = SentryReceiver.start();
  private final List<Monitoring> monitorings = new ArrayList<>();

  /**
   * A Monitoring of service {@code bot}, environment {@code production} unless {@code env} names
   * another, reading {@code env} and then {@code configure}; closed with the fixture.
   */
  Monitoring monitoring(Map<String, String> env, UnaryOperator<Monitoring.Builder> configure) {
    Map<String, String> all = new HashMap<>(env);
    all.putIfAbsent("APP_ENV", "production");
    return track(
        configure.apply(Monitoring.builder("bot").jvmMetrics(false).readEnvironment(all)).build());
  }

  /** Closes {@code monitoring} with the fixture. */
  Monitoring track(Monitoring monitoring) {
    monitorings.add(monitoring);
    return monitoring;
  }

  @Override
  public void close() {
    monitorings.forEach(Monitoring::close);
    if (Sentry.isEnabled()) {
      Sentry.close();
    }
    receiver.close();
  }
}
