package dev.gatehouse.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.gatehouse.server.oauth.AuthorizationCodeService;
import dev.gatehouse.server.oauth.Client;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layering docs/architecture.md describes: shared packages never import a feature, no
 * two packages import each other (directly or round a loop), protocol and domain logic testable
 * without HTTP or a database. There is no list of exceptions: an upward import fails the build.
 */
class ArchitectureTest {

  private static final String ROOT = "dev.gatehouse.server";

  /**
   * The shared packages: plumbing every feature may use. Listed bottom-up as docs/architecture.md
   * orders them, though only "no cycles" and "no feature" are enforced between them.
   */
  static final String[] SHARED = {"json", "crypto", "observe", "resilience", "store", "outbound",
      "config", "cache", "http", "keys", "tenant", "adminapi", "events"};

  /** The features: each holds its endpoints, services and stores. */
  static final String[] FEATURES = {"identity", "session", "mfa", "oauth", "oidc", "policy",
      "webhook", "web", "admin", "ops", "detect"};

  /** The command line: it starts the server (the root package), so it sits above everything. */
  static final String[] ENTRY_POINTS = {"cli"};

  private static String[] packages(String... names) {
    return Arrays.stream(names).map(n -> ROOT + "." + n + "..").toArray(String[]::new);
  }

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
        .and().haveSimpleNameNotEndingWith("Resolver")
        .should().dependOnClassesThat().resideInAnyPackage("io.helidon..")
        .because("endpoint classes (*Http) and path resolvers (*Resolver) are the only bridge"
            + " between HTTP and the spec's logic")
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
    // A second caller of code issuance (the consent POST) once skipped the second factor and the
    // freshness checks. Every code comes from the one place that asks SignInPolicy first.
    noClasses().that().doNotHaveFullyQualifiedName("dev.gatehouse.server.web.SignInFlow")
        .should().callMethod(AuthorizationCodeService.class, "issue", Client.class,
            AuthorizationCodeService.Binding.class)
        .because("SignInFlow issues a code only when SignInPolicy says nothing more is owed")
        .check(classes);
  }

  @Test
  void sharedPackagesDoNotDependOnFeaturesOrTheCompositionRoot() {
    noClasses().that().resideInAnyPackage(packages(SHARED))
        .should().dependOnClassesThat().resideInAnyPackage(packages(FEATURES))
        .orShould().dependOnClassesThat().resideInAPackage(ROOT)
        .because("features may use shared packages, never the reverse")
        .check(classes);
  }

  @Test
  void featuresDoNotDependOnTheCompositionRoot() {
    noClasses().that().resideInAnyPackage(packages(FEATURES))
        .should().dependOnClassesThat().resideInAPackage(ROOT)
        .because("the root package wires features together; a feature is wired, it does not wire")
        .check(classes);
  }

  @Test
  void nothingDependsOnTheCommandLine() {
    noClasses().that().resideOutsideOfPackages(packages(ENTRY_POINTS))
        .should().dependOnClassesThat().resideInAnyPackage(packages(ENTRY_POINTS))
        .check(classes);
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void everyPackageIsSharedOrAFeature() {
    classes().should().resideInAnyPackage(Stream.concat(Stream.of(ROOT),
            Arrays.stream(packages(SHARED))).toArray(String[]::new))
        .orShould().resideInAnyPackage(packages(FEATURES))
        .orShould().resideInAnyPackage(packages(ENTRY_POINTS))
        .because("a new package must take its place in the layering (ArchitectureTest.SHARED or"
            + " FEATURES, and docs/architecture.md)")
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
