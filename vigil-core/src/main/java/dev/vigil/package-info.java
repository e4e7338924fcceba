/**
 * Vigil: business KPIs, queue and HTTP metrics for Java services, on Prometheus.
 *
 * <p>Start with {@link dev.vigil.Monitoring}. Everything in {@code dev.vigil.internal} may change
 * without notice.
 */
@NullMarked
package dev.vigil;

import org.jspecify.annotations.NullMarked;
