package dev.vigil.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.Optional;
import java.util.Set;

/**
 * The three rules of Vigil's module boundary, as functions of what a module owns so that the tests
 * can prove each one fails on a small bad class set before it is trusted on the real modules. A
 * package is internal when one of its segments is {@code internal}; everything else is API or SPI,
 * which users compile against.
 */
final class BoundaryRules {

  private BoundaryRules() {}

  static boolean isInternal(String packageName) {
    return ("." + packageName + ".").contains(".internal.");
  }

  /**
   * No public or protected member, constructor or supertype of a type users can see names a type
   * from an internal package, generics and throws clauses included: a user who can compile against
   * it would be compiling against an internal.
   */
  static ArchRule publicSignaturesNameNoInternalType() {
    return classes()
        .that(exported())
        .should(nameNoInternalTypeInTheirSignatures())
        .because("internal packages are not part of the API: they change without notice");
  }

  /**
   * No class of a module depends on an internal package the module does not own itself: the core's
   * {@code dev.vigil.internal} and {@code dev.vigil.*.internal} are off limits to every other
   * module, which builds on the public API and {@code dev.vigil.spi} only.
   */
  static ArchRule reachesNoInternalsOfOtherModules(Set<String> ownPackages) {
    DescribedPredicate<JavaClass> foreignInternal =
        DescribedPredicate.describe(
            "reside in another module's internal package",
            type ->
                isInternal(type.getPackageName()) && !ownPackages.contains(type.getPackageName()));
    return noClasses()
        .should()
        .dependOnClassesThat(foreignInternal)
        .because("a module uses only the public API and the SPI of the others");
  }

  /**
   * The packages of one module form no cycle, each counted together with its {@code internal}
   * sub-packages (the implementation of a package and the package itself may know each other), and
   * the packages of {@code oneComponent} counted as one.
   */
  static ArchRule packagesFormNoCycle(Set<String> oneComponent) {
    return SlicesRuleDefinition.slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass type) {
                String component = componentOf(type.getPackageName());
                return SliceIdentifier.of(
                    oneComponent.contains(component) ? String.join("+", oneComponent) : component);
              }

              @Override
              public String getDescription() {
                return "each package with its internal sub-packages";
              }
            })
        .should()
        .beFreeOfCycles();
  }

  static String componentOf(String packageName) {
    int internal = ("." + packageName + ".").indexOf(".internal.");
    return internal < 0 ? packageName : packageName.substring(0, Math.max(0, internal - 1));
  }

  private static DescribedPredicate<JavaClass> exported() {
    return DescribedPredicate.describe(
        "are public and outside internal packages",
        type -> !isInternal(type.getPackageName()) && isVisibleOutside(type));
  }

  private static boolean isVisibleOutside(JavaClass type) {
    for (Optional<JavaClass> current = Optional.of(type);
        current.isPresent();
        current = current.get().getEnclosingClass()) {
      Set<JavaModifier> modifiers = current.get().getModifiers();
      if (current.get().isAnonymousClass()
          || current.get().isLocalClass()
          || !(modifiers.contains(JavaModifier.PUBLIC)
              || modifiers.contains(JavaModifier.PROTECTED))) {
        return false;
      }
    }
    return true;
  }

  private static ArchCondition<JavaClass> nameNoInternalTypeInTheirSignatures() {
    return new ArchCondition<>("name no internal type in a public or protected signature") {
      @Override
      public void check(JavaClass type, ConditionEvents events) {
        type.getSuperclass().ifPresent(s -> report(type, "extends", s, events));
        for (JavaType implemented : type.getInterfaces()) {
          report(type, "implements", implemented, events);
        }
        for (JavaField field : type.getFields()) {
          if (isVisible(type, field)) {
            report(type, "field " + field.getName() + " is", field.getType(), events);
          }
        }
        for (JavaCodeUnit code : type.getCodeUnits()) {
          if (!isVisible(type, code) || code.getModifiers().contains(JavaModifier.SYNTHETIC)) {
            continue;
          }
          String where = code.isConstructor() ? "constructor" : code.getName() + "()";
          report(type, where + " returns", code.getReturnType(), events);
          for (JavaType parameter : code.getParameterTypes()) {
            report(type, where + " takes", parameter, events);
          }
          for (JavaClass thrown : code.getThrowsClause().getTypes()) {
            report(type, where + " throws", thrown, events);
          }
        }
      }
    };
  }

  private static boolean isVisible(JavaClass owner, JavaMember member) {
    Set<JavaModifier> modifiers = member.getModifiers();
    return modifiers.contains(JavaModifier.PUBLIC)
        || (modifiers.contains(JavaModifier.PROTECTED)
            && !owner.getModifiers().contains(JavaModifier.FINAL));
  }

  private static void report(JavaClass owner, String where, JavaType type, ConditionEvents events) {
    for (JavaClass involved : type.getAllInvolvedRawTypes()) {
      JavaClass named = involved.getBaseComponentType();
      if (isInternal(named.getPackageName())) {
        String message =
            owner.getName() + ": " + where + " internal " + named.getName() + " (" + type + ")";
        events.add(SimpleConditionEvent.violated(owner, message));
      }
    }
  }
}
