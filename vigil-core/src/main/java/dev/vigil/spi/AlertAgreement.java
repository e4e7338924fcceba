package dev.vigil.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Lets the replicas of a service agree which of them sends a notification, so that an incident
 * every replica sees reaches people once. Register one with {@link ExtensionContext#agreeOnAlerts};
 * {@code vigil-redis} is one ({@code SET key NX PX}).
 *
 * <p>Vigil asks on its delivery thread, once per notification and channel, before the first
 * attempt; the log channel (each replica's own record) is never asked about. An answer of {@link
 * Claim#DUPLICATE} drops the notification for that channel and counts it in {@code
 * vigil_alerts_suppressed_total{reason="cluster_duplicate"}}; {@link Claim#UNAVAILABLE} sends it
 * (fail open: an alert is never lost because the store is down). Answer within a short timeout: the
 * delivery thread waits for it.
 *
 * <p>A store that also implements {@link #claimAndTally} keeps count of what is not sent, so that
 * the replica that sends an alert's cool-down summary counts the repeats of every replica, not only
 * its own.
 *
 * <pre>{@code
 * context.agreeOnAlerts((channel, notification, hold) ->
 *     store.setIfAbsent(channel + ":" + notification.key(), replicaId, hold)
 *         ? AlertAgreement.Claim.OWNER : AlertAgreement.Claim.DUPLICATE);
 * }</pre>
 */
@FunctionalInterface
public interface AlertAgreement {
  /** The answer to {@link #claim}. */
  enum Claim {
    /** This replica sends (it claimed the notification, or already held it). */
    OWNER,
    /** Another replica holds it: do not send. */
    DUPLICATE,
    /** The store could not say: send anyway. */
    UNAVAILABLE
  }

  /**
   * Claims {@code notification} for {@code channel}, for {@code hold} (the alert cool-down):
   * another replica claiming the same {@link Notification#key()} and channel within it is told
   * {@link Claim#DUPLICATE}. Must not throw (a throw counts as {@link Claim#UNAVAILABLE}).
   */
  Claim claim(String channel, Notification notification, Duration hold);

  /**
   * Claims as {@link #claim} does, and keeps the tally of what is not sent: when the answer is
   * {@link Claim#DUPLICATE}, adds {@code notification}'s {@link Notification#occurrences()} to the
   * tally of its key and channel; when it is {@link Claim#OWNER}, takes the tally (what the other
   * replicas suppressed since it was last taken), which Vigil adds to the notification before it
   * sends it ("occurred 12 times since ..."). What Vigil calls; the default claims with no tally.
   * Must not throw (a throw counts as {@link Claim#UNAVAILABLE}).
   *
   * <pre>{@code
   * public Claimed claimAndTally(String channel, Notification n, Duration hold) {
   *   Claim claim = claim(channel, n, hold);
   *   if (claim == Claim.DUPLICATE) {
   *     store.add(channel + ":" + n.key(), n.occurrences(), n.firstSeen());
   *     return new Claimed(claim, 0, null);
   *   }
   *   Tally t = store.take(channel + ":" + n.key());
   *   return new Claimed(claim, t.count(), t.since());
   * }
   * }</pre>
   */
  default Claimed claimAndTally(String channel, Notification notification, Duration hold) {
    return new Claimed(claim(channel, notification, hold), 0, null);
  }

  /**
   * The answer to {@link #claimAndTally}.
   *
   * @param claim whether this replica sends
   * @param othersOccurrences occurrences the other replicas suppressed, to count in this
   *     notification: 0 or more, and 0 unless {@code claim} is {@link Claim#OWNER}
   * @param othersFirstSeen when the earliest of them happened, if known
   */
  record Claimed(Claim claim, long othersOccurrences, @Nullable Instant othersFirstSeen) {
    public Claimed {
      Objects.requireNonNull(claim, "claim must not be null");
      if (othersOccurrences < 0) {
        throw new IllegalArgumentException(
            "othersOccurrences must not be negative, got " + othersOccurrences);
      }
    }
  }
}
