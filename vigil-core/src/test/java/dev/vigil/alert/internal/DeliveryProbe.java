package dev.vigil.alert.internal;

import dev.vigil.Monitoring;
import dev.vigil.internal.Internals;

/**
 * What core's alert tests read of a Monitoring's delivery thread, through the package-private
 * methods of {@link AlertService}: test code only, so no public type carries a method for tests.
 * Modules' tests observe the same through the self-metrics and the DEBUG line of each attempt, as
 * {@code AlertChannelContract} does.
 */
public final class DeliveryProbe {
  private final AlertService alerts;

  private DeliveryProbe(AlertService alerts) {
    this.alerts = alerts;
  }

  public static DeliveryProbe of(Monitoring monitoring) {
    return new DeliveryProbe((AlertService) Internals.of(monitoring).alerts());
  }

  /** The alert service itself, to add a channel after the build or read its settings. */
  public AlertService service() {
    return alerts;
  }

  /** Makes the delivery thread look at the time and its queues again now. */
  public void wake() {
    alerts.wake();
  }

  /** How many times the delivery loop has run. */
  public long deliveryLoops() {
    return alerts.deliveryLoops();
  }

  /** Alerts waiting in the delivery queue. */
  public int queued() {
    return alerts.queued();
  }

  /** Notifications waiting for (or in delivery to) a channel; -1 if none by that name. */
  public int backlog(String channel) {
    return alerts.backlog(channel);
  }

  /** Delivery attempts started for a channel; -1 if none by that name. */
  public long attempts(String channel) {
    return alerts.attempts(channel);
  }

  /** The alert keys whose cool-down is tracked. */
  public int trackedKeys() {
    return alerts.trackedKeys();
  }
}
