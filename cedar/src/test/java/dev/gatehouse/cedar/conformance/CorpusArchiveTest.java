package dev.gatehouse.cedar.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusArchiveTest {

  @Test
  void unpackedWhenArchiveThenFilesInFolderAndReusedUntilArchiveChanges(@TempDir Path dir)
      throws IOException {
    Path archive = dir.resolve("a.tar.gz");
    try (TarGzWriter tar = new TarGzWriter(archive)) {
      tar.add("corpus-tests/x.json", "{}".getBytes(StandardCharsets.UTF_8));
      tar.add("tests/y/big.cedar", "a".repeat(1500).getBytes(StandardCharsets.UTF_8));
    }
    Path out = CorpusArchive.unpacked(archive, dir.resolve("out"));
    assertThat(out.resolve("corpus-tests/x.json")).hasContent("{}");
    assertThat(Files.readString(out.resolve("tests/y/big.cedar"))).hasSize(1500);

    Files.writeString(out.resolve("corpus-tests/x.json"), "changed");
    CorpusArchive.unpacked(archive, out);
    assertThat(out.resolve("corpus-tests/x.json")).as("same archive: reused").hasContent("changed");

    try (TarGzWriter tar = new TarGzWriter(archive)) {
      tar.add("corpus-tests/z.json", "[]".getBytes(StandardCharsets.UTF_8));
    }
    CorpusArchive.unpacked(archive, out);
    assertThat(out.resolve("corpus-tests/x.json")).as("new archive: rebuilt").doesNotExist();
    assertThat(out.resolve("corpus-tests/z.json")).hasContent("[]");
  }

  @Test
  void unpackedWhenEntryLeavesFolderThenRefused(@TempDir Path dir) throws IOException {
    Path archive = dir.resolve("evil.tar.gz");
    try (TarGzWriter tar = new TarGzWriter(archive)) {
      tar.add("../escaped.txt", "x".getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> CorpusArchive.unpacked(archive, dir.resolve("out")))
        .isInstanceOf(UncheckedIOException.class)
        .hasRootCauseMessage("archive entry `../escaped.txt` lies outside the folder");
    assertThat(dir.resolve("escaped.txt")).doesNotExist();
  }

  @Test
  void rootWhenNoFolderGivenThenTheArchiveInTheRepository() {
    Path root = ConformanceCorpus.root();
    assertThat(root.resolve("corpus-tests")).isDirectory();
    assertThat(root.resolve("LICENSE")).isRegularFile();
  }
}
