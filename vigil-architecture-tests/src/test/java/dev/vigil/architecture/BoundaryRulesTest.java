package dev.vigil.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.vigil.architecture.fixture.cycle.one.JoinsThree;
import dev.vigil.architecture.fixture.cycle.one.One;
import dev.vigil.architecture.fixture.cycle.three.Three;
import dev.vigil.architecture.fixture.cycle.two.Two;
import dev.vigil.architecture.fixture.leak.api.ExtendsInternal;
import dev.vigil.architecture.fixture.leak.api.ListsInternal;
import dev.vigil.architecture.fixture.leak.api.ReturnsInternal;
import dev.vigil.architecture.fixture.leak.api.UsesInternalPrivately;
import dev.vigil.architecture.fixture.leak.internal.Hidden;
import dev.vigil.architecture.fixture.pair.Facade;
import dev.vigil.architecture.fixture.pair.internal.Implementation;
import dev.vigil.architecture.fixture.reach.a.UsesOwnInternal;
import dev.vigil.architecture.fixture.reach.a.internal.OwnInternal;
import dev.vigil.architecture.fixture.reach.b.ReachesIntoA;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each rule of {@link BoundaryRules} fails on a small bad class set and passes the good one. */
class BoundaryRulesTest {

  private static final String FIXTURE = "dev.vigil.architecture.fixture.";

  private static JavaClasses of(Class<?>... types) {
    return new ClassFileImporter().importClasses(types);
  }

  @Test
  void anInternalReturnTypeIsAViolation() {
    assertThatThrownBy(
            () ->
                BoundaryRules.publicSignaturesNameNoInternalType()
                    .check(of(ReturnsInternal.class, Hidden.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            ReturnsInternal.class.getName()
                + ": hidden() returns internal "
                + Hidden.class.getName());
  }

  @Test
  void anInternalTypeArgumentOfAParameterIsAViolation() {
    assertThatThrownBy(
            () ->
                BoundaryRules.publicSignaturesNameNoInternalType()
                    .check(of(ListsInternal.class, Hidden.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            ListsInternal.class.getName() + ": accept() takes internal " + Hidden.class.getName());
  }

  @Test
  void anInternalSuperclassIsAViolation() {
    assertThatThrownBy(
            () ->
                BoundaryRules.publicSignaturesNameNoInternalType()
                    .check(of(ExtendsInternal.class, Hidden.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            ExtendsInternal.class.getName() + ": extends internal " + Hidden.class.getName());
  }

  @Test
  void anInternalTypeNoCallerSeesIsAllowed() {
    assertThatCode(
            () ->
                BoundaryRules.publicSignaturesNameNoInternalType()
                    .check(of(UsesInternalPrivately.class, Hidden.class)))
        .doesNotThrowAnyException();
  }

  @Test
  void anotherModulesInternalIsAViolation() {
    assertThatThrownBy(
            () ->
                BoundaryRules.reachesNoInternalsOfOtherModules(Set.of(FIXTURE + "reach.b"))
                    .check(of(ReachesIntoA.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(ReachesIntoA.class.getName())
        .hasMessageContaining(OwnInternal.class.getName());
  }

  @Test
  void aModulesOwnInternalIsAllowed() {
    assertThatCode(
            () ->
                BoundaryRules.reachesNoInternalsOfOtherModules(
                        Set.of(FIXTURE + "reach.a", FIXTURE + "reach.a.internal"))
                    .check(of(UsesOwnInternal.class, OwnInternal.class)))
        .doesNotThrowAnyException();
  }

  @Test
  void aPackageCycleIsAViolation() {
    assertThatThrownBy(
            () -> BoundaryRules.packagesFormNoCycle(Set.of()).check(of(One.class, Two.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected: Slice " + FIXTURE + "cycle.");
  }

  @Test
  void packagesThatDependOneWayAreAllowed() {
    assertThatCode(
            () ->
                BoundaryRules.packagesFormNoCycle(Set.of())
                    .check(of(UsesOwnInternal.class, OwnInternal.class)))
        .doesNotThrowAnyException();
  }

  @Test
  void aPackageAndItsInternalImplementationAreOneComponent() {
    assertThatCode(
            () ->
                BoundaryRules.packagesFormNoCycle(Set.of())
                    .check(of(Facade.class, Implementation.class)))
        .doesNotThrowAnyException();
  }

  @Test
  void packagesNamedAsOneComponentAreNotACycle() {
    assertThatCode(
            () ->
                BoundaryRules.packagesFormNoCycle(
                        Set.of(FIXTURE + "cycle.one", FIXTURE + "cycle.two"))
                    .check(of(One.class, Two.class)))
        .doesNotThrowAnyException();
  }

  /** The core's ring is closed: a package outside it that cycles with one inside still fails. */
  @Test
  void aThirdPackageCyclingWithANamedComponentIsAViolation() {
    assertThatThrownBy(
            () ->
                BoundaryRules.packagesFormNoCycle(
                        Set.of(FIXTURE + "cycle.one", FIXTURE + "cycle.two"))
                    .check(of(One.class, Two.class, JoinsThree.class, Three.class)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected: Slice " + FIXTURE + "cycle.");
  }

  @Test
  void componentsStripTheInternalSuffix() {
    assertThat(BoundaryRules.componentOf("dev.vigil.internal.page")).isEqualTo("dev.vigil");
    assertThat(BoundaryRules.componentOf("dev.vigil.otel.internal")).isEqualTo("dev.vigil.otel");
    assertThat(BoundaryRules.componentOf("dev.vigil.internals")).isEqualTo("dev.vigil.internals");
    assertThat(BoundaryRules.isInternal("dev.vigil.alert.internal")).isTrue();
    assertThat(BoundaryRules.isInternal("dev.vigil.internals")).isFalse();
  }
}
