package dev.gatehouse.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.gatehouse.server.oauth.AuthorizationCodeService;
import dev.gatehouse.server.oauth.Client;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the architecture DESIGN.md describes: protocol and domain logic testable without HTTP or
 * a database, and the shared parts free of feature code.
 */
class ArchitectureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.gatehouse.server");
  }

  @Test
  void protocolAndDomainLogicDoesNotDependOnTheHttpServer() {
    noClasses().that().resideInAnyPackage("..oauth..", "..keys..", "..tenant..", "..crypto..",
            "..store..", "..config..")
        .and().haveSimpleNameNotEndingWith("Http")
        .should().dependOnClassesThat().resideInAnyPackage("io.helidon..")
        .because("endpoint classes (*Http) are the only bridge between HTTP and the spec's logic")
        .check(classes);
  }

  @Test
  void servicesDependOnStorePortsNotOnJdbcAdapters() {
    noClasses().that().haveSimpleNameEndingWith("Service")
        .should().dependOnClassesThat().haveSimpleNameStartingWith("Jdbc")
        .because("a service takes its narrow store interface, so it can be tested without a"
            + " database")
        .check(classes);
  }

  @Test
  void onlySignInFlowIssuesAuthorizationCodes() {
    // GH-01: a second caller of code issuance (the consent POST) skipped the second factor and
    // the freshness checks. Every code comes from the one place that asks SignInPolicy first.
    noClasses().that().doNotHaveFullyQualifiedName("dev.gatehouse.server.web.SignInFlow")
        .should().callMethod(AuthorizationCodeService.class, "issue", Client.class,
            AuthorizationCodeService.Binding.class)
        .because("SignInFlow issues a code only when SignInPolicy says nothing more is owed")
        .check(classes);
  }

  @Test
  void sharedPartsDoNotDependOnFeatures() {
    noClasses().that().resideInAnyPackage("..store..", "..crypto..", "..config..", "..observe..")
        .should().dependOnClassesThat().resideInAnyPackage("..oauth..", "..admin..", "..oidc..",
            "..tenant..")
        .check(classes);
  }

  @Test
  void callsToUrlsFromOutsideGoThroughTheOutboundGuard() {
    noClasses().that().resideOutsideOfPackages("..outbound..", "..cli..")
        .should().dependOnClassesThat().haveFullyQualifiedName("java.net.http.HttpClient")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.URLConnection")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.net.HttpURLConnection")
        .orShould().callMethod(java.net.URL.class, "openConnection")
        .orShould().callMethod(java.net.URL.class, "openStream")
        .orShould().callConstructor(java.net.Socket.class, String.class, int.class)
        .orShould().callMethod(java.net.Socket.class, "connect", java.net.SocketAddress.class,
            int.class)
        .because("a URL a tenant registered is a server-side request forgery until OutboundGuard"
            + " has judged the address it resolves to (the CLI only calls the operator's server)")
        .check(classes);
  }
}
