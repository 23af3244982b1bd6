package dev.gatehouse.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven through ChromeDriver, for the tests of the hosted pages.
 *
 * <p>The flags keep the browser off the network it cannot reach here (background networking,
 * component updates, sync) and give each test a fresh profile.
 */
public final class Chromium {

  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path BINARY = Path.of("/usr/bin/chromium");

  private Chromium() {}

  /** Fails or skips {@code test} (see {@link RequiredTool}) unless Chromium and ChromeDriver are installed. */
  public static void require(String test) {
    String missing = !Files.isExecutable(CHROMEDRIVER) ? CHROMEDRIVER + " is missing"
        : !Files.isExecutable(BINARY) ? BINARY + " is missing" : null;
    RequiredTool.check(test, missing == null ? null
        : missing + " (apt-get install -y chromium chromium-driver)");
  }

  /** A headless browser using {@code profile} (a new empty folder); the caller quits it. */
  public static ChromeDriver start(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }
}
