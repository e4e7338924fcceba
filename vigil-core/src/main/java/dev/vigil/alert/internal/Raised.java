package dev.vigil.alert.internal;

import dev.vigil.alert.Alert;
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

  Raised(
      String key, Alert alert, Instant time, long occurrences, Instant firstSeen,
      Instant episodeStart) {
    this.key = key;
    this.alert = alert;
    this.time = time;
    this.occurrences = occurrences;
    this.firstSeen = firstSeen;
    this.episodeStart = episodeStart;
  }
}
