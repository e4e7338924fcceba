/** OTLP export of Vigil's metrics. */
@NullMarked
package dev.vigil.otel;

import org.jspecify.annotations.NullMarked;
