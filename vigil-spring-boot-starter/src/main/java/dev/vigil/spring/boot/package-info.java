/**
 * Spring Boot 3 auto-configuration for Vigil: {@link dev.vigil.spring.boot.VigilAutoConfiguration}
 * and its {@code vigil.*} properties, {@link dev.vigil.spring.boot.VigilProperties}.
 */
@NullMarked
package dev.vigil.spring.boot;

import org.jspecify.annotations.NullMarked;
