/**
 * The service-provider interface: what a module or an application implements to extend Vigil.
 *
 * <ul>
 *   <li>{@link dev.vigil.spi.Extension} plugs into a {@code Monitoring} while it is built and
 *       receives an {@link dev.vigil.spi.ExtensionContext}: the service's identity, its own {@link
 *       dev.vigil.spi.Settings}, the redactor, the registry, and the places to hook in (error
 *       listeners, alert channels, endpoints on the metrics port, self-metrics, close hooks).
 *   <li>{@link dev.vigil.spi.AlertChannel} is somewhere alerts go; it receives a redacted {@link
 *       dev.vigil.spi.Notification} and answers with a {@link dev.vigil.spi.Delivery}.
 *   <li>{@link dev.vigil.spi.ErrorListener} receives each error passed to {@code handleError}.
 *   <li>{@link dev.vigil.spi.KpiObserver} sees each KPI event after it was counted, with the
 *       series' normalised label values.
 * </ul>
 *
 * <p>Types here are as stable as the API in {@code dev.vigil}: they change only with a major
 * version. Nothing in an SPI signature mentions a type of an {@code internal} package.
 */
@NullMarked
package dev.vigil.spi;

import org.jspecify.annotations.NullMarked;
