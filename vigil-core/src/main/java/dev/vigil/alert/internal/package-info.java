/**
 * The alert engine: deduplication, sliding windows, the bounded delivery queue, retries, rate
 * limits and the channels. Not an API: anything here may change in any release.
 */
@NullMarked
package dev.vigil.alert.internal;

import org.jspecify.annotations.NullMarked;
