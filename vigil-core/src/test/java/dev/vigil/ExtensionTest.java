package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.internal.Internals;
import dev.vigil.spi.Extension;
import dev.vigil.spi.ExtensionContext;
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
      assertThat(Internals.of(monitoring).core().endpoints())
          .containsKey(DiscoveredTestExtension.PATH);
    }
  }

  @Test
  void discoveryCanBeSwitchedOff() {
    try (Monitoring monitoring = builder().discoverExtensions(false).build()) {
      assertThat(Internals.of(monitoring).core().endpoints())
          .doesNotContainKey(DiscoveredTestExtension.PATH);
    }
  }

  @Test
  void givenExtensionIsInstalledWithTheMonitoringsContext() {
    List<ExtensionContext> installedInto = new ArrayList<>();
    try (Monitoring monitoring =
        builder().environment("staging").extension(installedInto::add).build()) {
      assertThat(installedInto).hasSize(1);
      ExtensionContext context = installedInto.get(0);
      assertThat(context.service()).isEqualTo("api");
      assertThat(context.environment()).isEqualTo("staging");
      assertThat(context.registry()).isSameAs(monitoring.registry());
      assertThat(context.redactor()).isSameAs(monitoring.redactor());
    }
  }

  @Test
  void givenExtensionReplacesTheDiscoveredOneOfTheSameName() {
    Extension mine =
        new Extension() {
          @Override
          public void install(ExtensionContext context) {}

          @Override
          public String name() {
            return DiscoveredTestExtension.NAME;
          }
        };
    try (Monitoring monitoring = builder().extension(mine).build()) {
      assertThat(Internals.of(monitoring).core().endpoints())
          .doesNotContainKey(DiscoveredTestExtension.PATH);
    }
  }

  @Test
  void configurationErrorInAnExtensionFailsTheBuildAfterRunningItsCloseHooks() {
    List<String> closed = new ArrayList<>();
    Extension first = context -> context.onClose(() -> closed.add("first"));
    Extension broken =
        context -> {
          throw new IllegalArgumentException("SENTRY_DSN is not a valid DSN");
        };
    assertThatThrownBy(() -> builder().extension(first).extension(broken).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("SENTRY_DSN is not a valid DSN");
    assertThat(closed).containsExactly("first");
  }
}
