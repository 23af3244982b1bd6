package dev.gatehouse.cedar;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the Cedar module free of dependencies: only the JDK and itself. */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.gatehouse.cedar");

  @Test
  void cedarClassesWhenImportedThenDependOnlyOnJdkAndCedar() {
    classes()
        .that()
        .resideInAPackage("dev.gatehouse.cedar..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "dev.gatehouse.cedar..")
        .check(MAIN);
  }

  @Test
  void astWhenImportedThenIndependentOfEvaluation() {
    classes()
        .that()
        .resideInAPackage("dev.gatehouse.cedar.ast..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "dev.gatehouse.cedar.ast..")
        .check(MAIN);
  }
}
