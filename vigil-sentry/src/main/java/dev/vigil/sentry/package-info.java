/**
 * Sentry for Vigil: {@code handleError} and {@code handleCriticalError} send their exceptions to
 * Sentry, tagged with the service and redacted, and alerts of {@code ALERT_SENTRY_MIN_SEVERITY}
 * (default error) and above become Sentry message events. Start with {@link
 * dev.vigil.sentry.SentryReporter}.
 */
@NullMarked
package dev.vigil.sentry;

import org.jspecify.annotations.NullMarked;
