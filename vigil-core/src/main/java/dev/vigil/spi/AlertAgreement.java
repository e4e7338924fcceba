package dev.vigil.spi;

import java.time.Duration;

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
}
