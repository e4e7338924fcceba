/**
 * The contract kit for HTTP adapters: {@link dev.vigil.testkit.http.HttpAdapterContract}, which
 * every adapter runs against the real server it instruments, Vigil's own and yours. Not published:
 * {@code mvn install} it from Vigil's sources.
 */
@NullMarked
package dev.vigil.testkit.http;

import org.jspecify.annotations.NullMarked;
