package dev.gatehouse.server.regression;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.server.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gatehouse policy corpus} with a missing folder printed a raw NoSuchFileException. */
class PolicyCorpusMissingFolderTest {

  @Test
  void corpusWhenFolderMissingThenOneClearLineAndExitTwo(@TempDir Path dir) {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = Main.commandLine().execute("policy", "corpus", dir.resolve("nosuch").toString());
    } finally {
      System.setErr(old);
    }
    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("no such folder `")
        .doesNotContain("NoSuchFileException").doesNotContain("\tat ");
  }
}
