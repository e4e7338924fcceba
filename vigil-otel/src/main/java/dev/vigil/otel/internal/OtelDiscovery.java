package dev.vigil.otel.internal;

import dev.vigil.otel.OtlpExporter;
import dev.vigil.spi.Extension;
import dev.vigil.spi.ExtensionContext;
import dev.vigil.spi.Settings;

/**
 * The {@code ServiceLoader} entry of {@code vigil-otel}: an {@link OtlpExporter} configured from
 * the {@code OTEL_*} and {@code VIGIL_OTEL_*} variables the Monitoring was built from.
 *
 * <p>Found on the class path, it exports only once told where to: {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_METRICS_ENDPOINT} is set, or {@code
 * VIGIL_OTEL_ENABLED=true} asks for the default {@code http://localhost:4318}. So a Monitoring
 * built in a unit test, or one that read no environment, starts no exporter threads.
 */
public final class OtelDiscovery implements Extension {
  @Override
  public void install(ExtensionContext context) {
    Settings settings = context.settings("OTEL_", "VIGIL_OTEL_");
    boolean configured =
        settings.isSet("OTEL_EXPORTER_OTLP_ENDPOINT")
            || settings.isSet("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT")
            || Boolean.TRUE.equals(settings.bool("VIGIL_OTEL_ENABLED"));
    if (!configured) {
      context
          .logger(OtlpPipeline.LOGGER)
          .debug(
              "Vigil: vigil-otel is on the class path but no OTLP endpoint is set; set"
                  + " OTEL_EXPORTER_OTLP_ENDPOINT, or VIGIL_OTEL_ENABLED=true for"
                  + " http://localhost:4318");
      return;
    }
    OtlpExporter.builder().readEnvironment(settings.asMap()).build().install(context);
  }

  @Override
  public String name() {
    return "otel";
  }
}
