package dev.vigil.otel.internal;

import dev.vigil.otel.OtlpExporter;
import dev.vigil.spi.Extension;
import dev.vigil.spi.ExtensionContext;

/**
 * The {@code ServiceLoader} entry of {@code vigil-otel}: an {@link OtlpExporter} configured from
 * the {@code OTEL_*} and {@code VIGIL_OTEL_*} variables the Monitoring was built from.
 */
public final class OtelDiscovery implements Extension {
  @Override
  public void install(ExtensionContext context) {
    OtlpExporter.builder()
        .readEnvironment(context.settings("OTEL_", "VIGIL_OTEL_").asMap())
        .build()
        .install(context);
  }

  @Override
  public String name() {
    return "otel";
  }
}
