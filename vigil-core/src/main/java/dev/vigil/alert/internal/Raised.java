package dev.vigil.alert.internal;

import dev.vigil.alert.Alert;
import dev.vigil.spi.AlertChannel;
import java.time.Instant;

/**
 * An alert on its way to the delivery thread: the latest occurrence and how many occurrences the
 * notification will stand for.
 */
final class Raised {
  final String key;
  final Alert alert;
  final Instant time;
  final long occurrences;
  final Instant firstSeen;
  final Instant episodeStart;

  /**
   * Whether every occurrence this stands for was raised by {@code handleCriticalError}, whose error
   * the error listeners (Sentry) already received: see {@link
   * AlertChannel#receivesHandledErrors()}.
   */
  final boolean handledError;

  Raised(
      String key,
      Alert alert,
      Instant time,
      long occurrences,
      Instant firstSeen,
      Instant episodeStart,
      boolean handledError) {
    this.key = key;
    this.alert = alert;
    this.time = time;
    this.occurrences = occurrences;
    this.firstSeen = firstSeen;
    this.episodeStart = episodeStart;
    this.handledError = handledError;
  }
}
