/**
 * The live KPI page on the metrics port: {@code GET /}, its assets under {@code /ui/}, and the hour
 * of history behind it at {@code /kpi/history}. Not an API.
 */
@NullMarked
package dev.vigil.internal.page;

import org.jspecify.annotations.NullMarked;
