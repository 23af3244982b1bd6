package dev.gatehouse.bench;

import dev.gatehouse.server.web.page.Brand;
import dev.gatehouse.server.web.page.ConsentPage;
import dev.gatehouse.server.web.page.Layout;
import dev.gatehouse.server.web.page.LoginPage;
import dev.gatehouse.server.web.page.Pages;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of rendering a hosted page from its precompiled JTE template to UTF-8 bytes: the login
 * page after a failed attempt (every value escaped, a 600-character sealed request) and the
 * consent page.
 *
 * <p>Run, after {@code ./mvnw -q -B -DskipTests -pl bench -am package}:
 * <pre>{@code
 * java -jar bench/target/gatehouse-bench.jar PageRenderBenchmark -f 1 -wi 3 -i 5 -t 1
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PageRenderBenchmark {

  private final Layout layout = new Layout(Brand.named("Acme Corp"),
      "c2VjcmV0LW5vbmNlLTEyMw");
  private final String ar = "x".repeat(600) + "." + "y".repeat(43);
  private final String csrf = "c".repeat(43);

  @Benchmark
  public byte[] loginPageWithError() {
    return Pages.render(new LoginPage(layout, "https://id.example.com/t/acme/login", csrf, ar,
        "alice", "The username or password is incorrect."));
  }

  @Benchmark
  public byte[] consentPage() {
    return Pages.render(new ConsentPage(layout, "https://id.example.com/t/acme/consent", csrf, ar,
        "Web App", List.of("Know who you are", "See your name and username",
            "See your email address"), "b".repeat(43)));
  }
}
