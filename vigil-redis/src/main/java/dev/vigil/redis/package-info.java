/**
 * {@code vigil-redis}: distinct active users, top spenders and alerts shared across the replicas
 * and services of one Redis namespace. Add the module and set {@code VIGIL_REDIS_URL}, or pass
 * {@link dev.vigil.redis.RedisStore} to {@code Monitoring.Builder.extension(..)}.
 */
@NullMarked
package dev.vigil.redis;

import org.jspecify.annotations.NullMarked;
