/** Vigil's engine. Not an API: anything here may change in any release. */
@NullMarked
package dev.vigil.internal;

import org.jspecify.annotations.NullMarked;
