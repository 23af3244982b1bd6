package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.server.testing.Chromium;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person signs in through the real hosted pages in Debian's headless Chromium: the login page
 * (labels, focus, the tenant's colours under the CSP, a wrong password first), the consent page, and back to the application's
 * redirect URI with a code.
 *
 * <p>Needs {@code chromium} and {@code chromedriver} ({@code apt-get install -y chromium
 * chromium-driver}); without them the test is skipped with the reason printed, unless
 * {@code GATEHOUSE_REQUIRE_SERVICES=true} makes that a failure.
 */
class HostedLoginSeleniumTest {

  /** Nothing listens there: the browser's attempt to load it is where the flow ends. */
  static final String REDIRECT = "http://127.0.0.1:9/callback";

  @Test
  void personSignsInThroughLoginAndConsentPages() throws Exception {
    Chromium.require("HostedLoginSeleniumTest");
    Path profile = Files.createTempDirectory("gatehouse-chromium");
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      server.createTenant("acme");
      assertThat(server.admin("PATCH", "/admin/v1/tenants/acme", Map.of("display_name",
          "Acme Corp", "primary_color", "#0b6e4f")).status()).isEqualTo(200);
      JsonNode client = server.createClient("acme", Map.of("name", "Selenium App",
          "grant_types", List.of("authorization_code"), "redirect_uris", List.of(REDIRECT)));
      assertThat(server.admin("POST", "/admin/v1/tenants/acme/users", Map.of("username", "carol",
          "password", "a long enough passphrase")).status()).isEqualTo(201);

      WebDriver driver = Chromium.start(profile);
      try {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        String state = "st-" + System.nanoTime();
        driver.get(server.issuer("acme") + "/oauth2/authorize?response_type=code&scope=openid"
            + "%20profile&client_id=" + client.get("client_id").asText() + "&state=" + state
            + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
            + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
            + "&code_challenge_method=S256");
        wait.until(d -> d.getTitle().startsWith("Sign in"));
        // The first field has focus; labels name the fields.
        assertThat(driver.switchTo().activeElement().getAttribute("id")).isEqualTo("username");
        assertThat(driver.findElement(By.cssSelector("label[for=username]")).getText())
            .isEqualTo("Username");
        // The tenant's colours arrive through the nonce'd style sheet, which the CSP lets in.
        assertThat(driver.findElement(By.cssSelector("button[type=submit]"))
            .getCssValue("background-color")).isIn("rgba(11, 110, 79, 1)", "rgb(11, 110, 79)");
        assertThat(driver.findElement(By.cssSelector("p.brand")).getText()).isEqualTo("Acme Corp");

        driver.findElement(By.id("username")).sendKeys("carol");
        driver.findElement(By.id("password")).sendKeys("not the password");
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> !d.findElements(By.cssSelector("[role=alert]")).isEmpty());
        assertThat(driver.findElement(By.cssSelector("[role=alert]")).getText())
            .contains("username or password is incorrect");

        WebElement password = driver.findElement(By.id("password"));
        password.sendKeys("a long enough passphrase");
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(d -> d.getTitle().startsWith("Allow access"));
        assertThat(driver.getPageSource()).contains("Selenium App");
        driver.findElement(By.cssSelector("button[value=allow]")).click();

        wait.until(d -> d.getCurrentUrl().startsWith(REDIRECT));
        URI back = URI.create(driver.getCurrentUrl());
        assertThat(back.getQuery()).contains("code=").contains("state=" + state)
            .contains("iss=");
      } finally {
        driver.quit();
      }
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException ignored) {
      // A temp directory; the OS cleans it eventually.
    }
  }
}
