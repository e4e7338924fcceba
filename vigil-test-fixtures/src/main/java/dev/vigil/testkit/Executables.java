package dev.vigil.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the real programs the tests run (Prometheus, promtool, Alertmanager, amtool). A missing
 * program fails the test with the package to install rather than skipping it, so CI cannot pass by
 * accident.
 *
 * <pre>{@code
 * Path prometheus = Executables.require("prometheus", "prometheus");
 * }</pre>
 */
public final class Executables {
  private static final List<String> DIRECTORIES = List.of("/usr/bin", "/usr/local/bin", "/bin");

  private Executables() {}

  /**
   * The program called {@code name}.
   *
   * @param debianPackage the Debian package that installs it, named in the failure message
   */
  public static Path require(String name, String debianPackage) {
    for (String dir : DIRECTORIES) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        name
            + " not found in "
            + DIRECTORIES
            + ". Run the README's test command"
            + " (./run-tests.sh), which installs the Debian '"
            + debianPackage
            + "' package, or"
            + " install it yourself.");
  }
}
