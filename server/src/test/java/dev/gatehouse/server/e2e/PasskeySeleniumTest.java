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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * Passkeys in Debian's headless Chromium with the DevTools virtual authenticator (CTAP2, internal
 * transport, resident keys, user verification): a person signs in with a password, adds a passkey
 * on the account page, signs out, signs in with the passkey alone (no username, no password),
 * and removes it. The tokens of the passkey sign-in say {@code acr} mfa and {@code amr} hwk, user,
 * mfa. Driver set-up and skip logic as in {@link HostedLoginSeleniumTest}.
 */
class PasskeySeleniumTest {

  static final String REDIRECT = HostedLoginSeleniumTest.REDIRECT;
  static final String PASSWORD = "a long enough passphrase";

  @Test
  void personAddsPasskeySignsInWithItAloneAndRemovesIt() throws Exception {
    Chromium.require("PasskeySeleniumTest");
    Path profile = Files.createTempDirectory("gatehouse-chromium");
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      server.createTenant("acme");
      JsonNode client = server.createClient("acme", Map.of("name", "Passkey App",
          "grant_types", List.of("authorization_code"), "redirect_uris", List.of(REDIRECT)));
      assertThat(server.admin("POST", "/admin/v1/tenants/acme/users", Map.of("username",
          "carol", "password", PASSWORD)).status()).isEqualTo(201);
      String issuer = server.issuer("acme");
      // WebAuthn needs a secure context: http://localhost is one, and the RP ID is "localhost".
      assertThat(URI.create(issuer).getHost()).isEqualTo("localhost");

      ChromeDriver driver = Chromium.start(profile);
      try {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        VirtualAuthenticator authenticator = driver.addVirtualAuthenticator(
            new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true)
                .setIsUserConsenting(true));
        String authorize = issuer + "/oauth2/authorize?response_type=code&scope=openid"
            + "&client_id=" + client.get("client_id").asText() + "&state=s"
            + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);

        // 1. Password sign-in.
        driver.get(authorize);
        wait.until(d -> d.getTitle().startsWith("Sign in"));
        assertThat(driver.findElement(By.id("username")).getAttribute("autocomplete"))
            .isEqualTo("username webauthn");
        driver.findElement(By.id("username")).sendKeys("carol");
        driver.findElement(By.id("password")).sendKeys(PASSWORD);
        driver.findElement(By.cssSelector("form:not([data-passkey]) button[type=submit]"))
            .click();
        wait.until(d -> d.getTitle().startsWith("Allow access"));
        driver.findElement(By.cssSelector("button[value=allow]")).click();
        wait.until(d -> d.getCurrentUrl().startsWith(REDIRECT));

        // 2. Add a passkey on the account page.
        driver.get(issuer + "/account");
        wait.until(d -> d.getTitle().startsWith("Your account"));
        WebElement register = driver.findElement(By.id("passkey-register"));
        wait.until(d -> register.isDisplayed());
        WebElement name = driver.findElement(By.id("passkey-name"));
        name.clear();
        name.sendKeys("Laptop");
        register.click();
        wait.until(d -> !d.findElements(By.id("account-notice")).isEmpty());
        assertThat(driver.findElement(By.id("account-notice")).getText()).contains("Laptop");
        assertThat(driver.findElements(By.className("passkey-name"))).extracting(
            WebElement::getText).containsExactly("Laptop");
        assertThat(authenticator.getCredentials()).hasSize(1)
            .allMatch(c -> c.isResidentCredential());

        // 3. Sign out.
        driver.findElement(By.id("account-logout")).click();
        wait.until(d -> d.getTitle().startsWith("Sign out"));
        driver.findElement(By.cssSelector("button[value=yes]")).click();
        wait.until(d -> d.getTitle().startsWith("Signed out"));

        // 4. Sign in with the passkey alone: no username, no password.
        driver.get(authorize);
        wait.until(d -> d.getTitle().startsWith("Sign in")
            || d.getCurrentUrl().startsWith(REDIRECT));
        if (!driver.getCurrentUrl().startsWith(REDIRECT)) {
          WebElement button = driver.findElement(By.id("passkey-button"));
          wait.until(d -> button.isDisplayed());
          assertThat(button.getText()).isEqualTo("Sign in with a passkey");
          button.click();
        }
        wait.until(d -> d.getCurrentUrl().startsWith(REDIRECT));
        Matcher m = Pattern.compile("code=([^&]+)").matcher(driver.getCurrentUrl());
        assertThat(m.find()).isTrue();
        TestServer.Response t = server.postForm("/t/acme/oauth2/token",
            "grant_type=authorization_code&code=" + m.group(1) + "&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8),
            TestServer.basic(client.get("client_id").asText(),
                client.get("client_secret").asText()));
        assertThat(t.status()).as(t.toString()).isEqualTo(200);
        JsonNode id = MfaFlowTest.claims(t.json().get("id_token").asText());
        assertThat(id.get("acr").asText()).isEqualTo("urn:gatehouse:acr:mfa");
        List<String> amr = new ArrayList<>();
        id.get("amr").forEach(n -> amr.add(n.asText()));
        assertThat(amr).containsExactlyInAnyOrder("hwk", "user", "mfa")
            .doesNotContain("pwd");

        // 5. Remove the passkey.
        driver.get(issuer + "/account");
        wait.until(d -> d.getTitle().startsWith("Your account"));
        driver.findElement(By.cssSelector("#passkeys button[type=submit]")).click();
        wait.until(d -> !d.findElements(By.id("no-passkeys")).isEmpty());
        assertThat(driver.findElement(By.id("account-notice")).getText())
            .isEqualTo("Passkey removed.");
        JsonNode events = server.admin("GET", "/admin/v1/tenants/acme/events?after=0&limit=1000",
            null).json();
        assertThat(events.toString()).contains("mfa.enrolled", "mfa.removed");
        driver.removeVirtualAuthenticator(authenticator);
      } finally {
        driver.quit();
      }
    } finally {
      try (var paths = Files.walk(profile)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (java.io.IOException ignored) {
        // A temp directory; the OS cleans it eventually.
      }
    }
  }
}
