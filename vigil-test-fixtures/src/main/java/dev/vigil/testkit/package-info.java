/**
 * Real components for tests, shared by Vigil's modules and its contract kits: scraping {@code
 * /metrics} with real parsers, Prometheus, promtool, Alertmanager and redis-server processes, HTTP
 * and Sentry receivers on loopback, log capture, planted secrets. Not published.
 */
@NullMarked
package dev.vigil.testkit;

import org.jspecify.annotations.NullMarked;
