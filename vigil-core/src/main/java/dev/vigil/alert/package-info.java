/**
 * Alerts that reach people: payment, queue, critical-error, error-rate and degradation alerts,
 * merged while they repeat and delivered asynchronously to the log, webhooks, Slack, Telegram and
 * Alertmanager, and to the channels modules add (Sentry, with {@code vigil-sentry}).
 *
 * <p>Start with {@link dev.vigil.alert.Alerts}, from {@code monitoring.alerts()}. Everything in
 * {@code dev.vigil.alert.internal} may change without notice.
 */
@NullMarked
package dev.vigil.alert;

import org.jspecify.annotations.NullMarked;
