package dev.vigil.redis;

import dev.vigil.Monitoring;
import dev.vigil.testkit.Scrape;
import java.util.HashMap;
import java.util.Map;

/** Monitorings configured for one Redis, as replicas would be, with fast flushes. */
final class RedisFixture {
  static final String FLUSH = "100ms";

  private RedisFixture() {}

  static Map<String, String> env(String url, String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("VIGIL_REDIS_URL", url);
    env.put("VIGIL_REDIS_FLUSH_INTERVAL", FLUSH);
    env.put("VIGIL_REDIS_REFRESH_INTERVAL", FLUSH);
    env.put("VIGIL_REDIS_TIMEOUT", "2s"); // a busy test machine must not look like a down Redis
    env.put("ENABLE_JVM_METRICS", "false");
    env.put("METRICS_HOST", "127.0.0.1");
    env.put("METRICS_PORT", "0");
    env.put("VIGIL_TOP_SPENDERS_LOG_INTERVAL", "0");
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  static Monitoring replica(String service, Map<String, String> env) {
    return Monitoring.builder(service)
        .discoverExtensions(false)
        .extension(new RedisStore())
        .readEnvironment(env)
        .build()
        .start();
  }

  static Scrape scrape(Monitoring m) {
    return Scrape.of(m.metricsAddress());
  }

  static double gauge(Monitoring m, String name, String window) {
    return scrape(m).value(name, "window", window);
  }
}
