/** vigil-otel's internals: the registry bridge, the counting exporter, the settings. */
@NullMarked
package dev.vigil.otel.internal;

import org.jspecify.annotations.NullMarked;
