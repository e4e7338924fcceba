package dev.vigil.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each module's main classes, imported from the jar or classes directory the reactor built, keep
 * Vigil's boundary ({@link BoundaryRules}); {@code BoundaryRulesTest} proves each rule fails on a
 * bad class set.
 */
class ArchitectureTest {

  /**
   * The core's three public packages know each other by design, so they count as one component: the
   * SPI hands extensions the API's types ({@code Ticker}, {@code Redactor}, {@code Severity},
   * {@code MetricCatalog.Definition}), {@code Monitoring.Builder} takes the SPI's {@code Extension}
   * and {@code AlertChannel} and the alert settings, and the alert implementation reads the {@code
   * dev.vigil} types. That is the shape of {@code org.slf4j} with {@code org.slf4j.spi}, and of
   * Caffeine's {@code cache} with {@code cache.stats}; breaking it would take the types users write
   * ({@code Ticker}, {@code Redactor}, {@code Severity}) out of the packages they import, or give
   * the SPI a second vocabulary. Any other package joining a cycle with them fails the build
   * ({@code BoundaryRulesTest.aThirdPackageCyclingWithANamedComponentIsAViolation}).
   */
  private static final Set<String> CORE_API =
      Set.of("dev.vigil", "dev.vigil.alert", "dev.vigil.spi");

  /** Every module with main code, each found through one of its classes. */
  enum Module {
    CORE(dev.vigil.Monitoring.class, "dev.vigil"),
    LOGBACK(dev.vigil.logback.VigilJsonEncoder.class, "dev.vigil.logback"),
    SENTRY(dev.vigil.sentry.SentryReporter.class, "dev.vigil.sentry"),
    REDIS(dev.vigil.redis.RedisStore.class, "dev.vigil.redis"),
    SERVLET(dev.vigil.servlet.VigilServletFilter.class, "dev.vigil.servlet"),
    SPRING_BOOT_STARTER(
        dev.vigil.spring.boot.VigilAutoConfiguration.class, "dev.vigil.spring.boot"),
    OTEL(dev.vigil.otel.OtlpExporter.class, "dev.vigil.otel"),
    PRICING_LITELLM(dev.vigil.pricing.litellm.LiteLlmPrices.class, "dev.vigil.pricing.litellm"),
    TESTKIT(dev.vigil.testkit.spi.AlertChannelContract.class, "dev.vigil.testkit"),
    TEST_FIXTURES(dev.vigil.testkit.Promtool.class, null),
    EXAMPLES(dev.vigil.examples.ExamplesMain.class, null),
    BENCHMARKS(dev.vigil.benchmarks.AlertBenchmark.class, null);

    private final Class<?> anchor;
    private final String moduleName;
    private JavaClasses classes;

    /** {@code moduleName}: the Automatic-Module-Name of a published jar, null for the others. */
    Module(Class<?> anchor, String moduleName) {
      this.anchor = anchor;
      this.moduleName = moduleName;
    }

    Path location() {
      try {
        return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }

    synchronized JavaClasses classes() {
      if (classes == null) {
        Location location = Location.of(anchor.getProtectionDomain().getCodeSource().getLocation());
        classes =
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(List.of(location));
      }
      return classes;
    }

    Set<String> packages() {
      return classes().stream()
          .map(JavaClass::getPackageName)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  @ParameterizedTest
  @EnumSource(Module.class)
  void importsTheModulesOwnClassesOnly(Module module) {
    assertThat(module.classes()).extracting(JavaClass::getName).contains(module.anchor.getName());
    assertThat(module.packages()).allMatch(p -> p.startsWith("dev.vigil"));
  }

  /** Read as the JVM reads it for the module path; only a packaged jar has a manifest. */
  @ParameterizedTest
  @EnumSource(Module.class)
  void aPublishedJarHasItsModuleName(Module module) {
    assumeTrue(module.moduleName != null, "not published");
    assumeTrue(module.location().toString().endsWith(".jar"), "built as classes only (mvn test)");

    assertThat(ModuleFinder.of(module.location()).findAll())
        .extracting(reference -> reference.descriptor().name())
        .containsExactly(module.moduleName);
  }

  @ParameterizedTest
  @EnumSource(Module.class)
  void publicSignaturesNameNoInternalType(Module module) {
    BoundaryRules.publicSignaturesNameNoInternalType().check(module.classes());
  }

  /**
   * Benchmarks measure internal parts in isolation (the KPI page, the OTLP producer); not shipped.
   */
  @ParameterizedTest
  @EnumSource(value = Module.class, names = "BENCHMARKS", mode = EnumSource.Mode.EXCLUDE)
  void reachesNoInternalsOfOtherModules(Module module) {
    BoundaryRules.reachesNoInternalsOfOtherModules(module.packages()).check(module.classes());
  }

  @ParameterizedTest
  @EnumSource(Module.class)
  void packagesFormNoCycle(Module module) {
    BoundaryRules.packagesFormNoCycle(module == Module.CORE ? CORE_API : Set.of())
        .check(module.classes());
  }
}
