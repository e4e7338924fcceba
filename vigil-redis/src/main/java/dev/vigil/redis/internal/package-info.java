/** The Redis store behind {@link dev.vigil.redis.RedisStore}: not an API. */
@NullMarked
package dev.vigil.redis.internal;

import org.jspecify.annotations.NullMarked;
