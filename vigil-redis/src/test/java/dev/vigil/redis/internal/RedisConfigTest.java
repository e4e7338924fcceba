package dev.vigil.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.redis.internal.RedisConfig.Node;
import dev.vigil.redis.internal.RedisConfig.Url;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The URL forms Vigil reads, and what it shows of them in log lines. */
class RedisConfigTest {
  @Test
  void aClusterUrlListsSeedNodes_withCredentialsForAll_andShowsNoPassword() {
    Url url =
        RedisConfig.parseUrl(
            "X", " rediss+cluster://vigil:p%40ss+w@node-1:7000,[::1]:7001,node-3 ");
    assertThat(url.nodes())
        .containsExactly(new Node("node-1", 7000), new Node("::1", 7001), new Node("node-3", 6379));
    assertThat(url.cluster()).isTrue();
    assertThat(url.ssl()).isTrue();
    assertThat(url.user()).isEqualTo("vigil");
    assertThat(url.password()).isEqualTo("p@ss+w");
    assertThat(url.db()).isZero();
    assertThat(url.toString()).isEqualTo("rediss+cluster://node-1:7000,[::1]:7001,node-3:6379");
  }

  @Test
  void aStandaloneUrl_passwordAloneOrWithUser_databaseFromThePath() {
    Url url = RedisConfig.parseUrl("X", "redis://secret@redis:6380/2");
    assertThat(url.nodes()).isEqualTo(List.of(new Node("redis", 6380)));
    assertThat(url.cluster()).isFalse();
    assertThat(url.ssl()).isFalse();
    assertThat(url.user()).isNull();
    assertThat(url.password()).isEqualTo("secret");
    assertThat(url.db()).isEqualTo(2);
    assertThat(url.toString()).isEqualTo("redis://redis:6380/2");

    Url noCredentials = RedisConfig.parseUrl("X", "REDIS://redis");
    assertThat(noCredentials.nodes()).containsExactly(new Node("redis", 6379));
    assertThat(noCredentials.password()).isNull();
    assertThat(RedisConfig.parseUrl("X", "redis://:@redis/").password()).isNull();
  }
}
