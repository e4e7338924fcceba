/**
 * The contract kit for implementations of {@code dev.vigil.spi}: {@link
 * dev.vigil.testkit.spi.AlertChannelContract}, which every alert channel runs, Vigil's own and
 * yours. Not published: {@code mvn install} it from Vigil's sources.
 */
@NullMarked
package dev.vigil.testkit.spi;

import org.jspecify.annotations.NullMarked;
