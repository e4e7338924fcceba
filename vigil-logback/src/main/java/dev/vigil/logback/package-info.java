/**
 * Vigil's log output on Logback: one JSON object per line by default, readable lines with {@code
 * LOG_FORMAT=pretty}, secrets redacted, configured with no file of your own. See {@link
 * dev.vigil.logback.VigilJsonEncoder} for the fields and for using the pieces from your own {@code
 * logback.xml}.
 */
@NullMarked
package dev.vigil.logback;

import org.jspecify.annotations.NullMarked;
