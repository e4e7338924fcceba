/** The Sentry wiring of Vigil. Not an API: anything here may change in any release. */
@NullMarked
package dev.vigil.sentry.internal;

import org.jspecify.annotations.NullMarked;
