package dev.vigil;

import dev.vigil.spi.Extension;
import dev.vigil.spi.ExtensionContext;

/**
 * Listed in this module's test {@code META-INF/services/dev.vigil.spi.Extension}, so every test
 * Monitoring that discovers extensions installs it: it serves {@value #PATH}, which is harmless and
 * shows that it was installed.
 */
public final class DiscoveredTestExtension implements Extension {
  static final String PATH = "/discovered-by-test";
  static final String NAME = "test-extension";

  @Override
  public void install(ExtensionContext context) {
    context.addEndpoint(
        PATH,
        exchange -> {
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
  }

  @Override
  public String name() {
    return NAME;
  }
}
