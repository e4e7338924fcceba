package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Extensions: discovered on the class path, given to the builder, and failing at build. */
class ExtensionTest {

  private static Monitoring.Builder builder() {
    return Monitoring.builder("api").metricsEnabled(false).jvmMetrics(false);
  }

  @Test
  void extensionOnTheClassPathIsInstalled() {
    try (Monitoring monitoring = builder().build()) {
      assertThat(monitoring.core().endpoints()).containsKey(DiscoveredTestExtension.PATH);
    }
  }

  @Test
  void discoveryCanBeSwitchedOff() {
    try (Monitoring monitoring = builder().discoverExtensions(false).build()) {
      assertThat(monitoring.core().endpoints()).doesNotContainKey(DiscoveredTestExtension.PATH);
    }
  }

  @Test
  void givenExtensionIsInstalledWithTheMonitoring() {
    List<Monitoring> installedInto = new ArrayList<>();
    try (Monitoring monitoring = builder().extension(installedInto::add).build()) {
      assertThat(installedInto).containsExactly(monitoring);
    }
  }

  @Test
  void givenExtensionReplacesTheDiscoveredOneOfTheSameName() {
    Extension mine =
        new Extension() {
          @Override
          public void install(Monitoring monitoring) {}

          @Override
          public String name() {
            return DiscoveredTestExtension.NAME;
          }
        };
    try (Monitoring monitoring = builder().extension(mine).build()) {
      assertThat(monitoring.core().endpoints()).doesNotContainKey(DiscoveredTestExtension.PATH);
    }
  }

  @Test
  void configurationErrorInAnExtensionFailsTheBuildAfterRunningItsCloseHooks() {
    List<String> closed = new ArrayList<>();
    Extension first = monitoring -> monitoring.core().onClose(() -> closed.add("first"));
    Extension broken =
        monitoring -> {
          throw new IllegalArgumentException("SENTRY_DSN is not a valid DSN");
        };
    assertThatThrownBy(() -> builder().extension(first).extension(broken).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SENTRY_DSN is not a valid DSN");
    assertThat(closed).containsExactly("first");
  }
}
