package dev.gatehouse.cedar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CedarCliTest {
  private static final Path ROOT = dev.gatehouse.cedar.conformance.ConformanceCorpus.root();

  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = CedarCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void corpusWhenHandWrittenDecimalTestsThenAllPassAndExitZero() {
    String[] r = run("corpus", ROOT.resolve("tests/decimal").toString());
    assertThat(r[1]).endsWith("2 passed, 0 failed\n");
    assertThat(r[0]).isEqualTo("0");
  }

  @Test
  void corpusWhenFolderMissingThenOneClearLineAndExitTwo(@TempDir Path dir) {
    String[] r = run("corpus", dir.resolve("nosuch").toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).startsWith("no such folder `").contains("nosuch").doesNotContain("Exception");
  }

  @Test
  void corpusWhenArchiveThenReadsItWithoutUnpackingBesideIt(@TempDir Path dir) throws IOException {
    Path archive = dir.resolve("decimal.tar.gz");
    try (var tar = new dev.gatehouse.cedar.conformance.TarGzWriter(archive)) {
      for (String t : new String[] {"tests/decimal/1.json", "tests/decimal/2.json",
          "tests/decimal/policies_1.cedar", "tests/decimal/policies_2.cedar",
          "sample-data/sandbox_b/entities.json", "sample-data/sandbox_b/schema_exts.cedarschema"}) {
        tar.add(t, Files.readAllBytes(ROOT.resolve(t)));
      }
    }
    String[] r = run("corpus", archive.toString());
    assertThat(r[2]).isEmpty();
    assertThat(r[1]).endsWith("2 passed, 0 failed\n");
    assertThat(r[0]).isEqualTo("0");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(archive);
    }
  }

  @Test
  void authorizeWhenPermitMatchesThenAllow(@TempDir Path dir) throws IOException {
    Path policies = Files.writeString(dir.resolve("p.cedar"), "permit(principal in Group::\"g\", action, resource);");
    Path entities =
        Files.writeString(dir.resolve("e.json"), "[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {}, \"parents\": [{\"type\": \"Group\", \"id\": \"g\"}]}]");
    String[] r =
        run(
            "authorize", policies.toString(), entities.toString(),
            "{\"type\": \"User\", \"id\": \"a\"}", "{\"type\": \"Action\", \"id\": \"view\"}", "{\"type\": \"Doc\", \"id\": \"d\"}");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1]).startsWith("allow\nreasons: [policy0]");
  }

  @Test
  void formatWhenSyntaxErrorThenExitOneWithPosition(@TempDir Path dir) throws IOException {
    Path policies = Files.writeString(dir.resolve("p.cedar"), "permit(principal, action, resource) when { 1 + };");
    String[] r = run("format", policies.toString());
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[2]).startsWith("error: 1:48:");
  }

  @Test
  void runWhenNoArgumentsThenUsage() {
    String[] r = run();
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("usage:");
  }
}
