package dev.gatehouse.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LineDiffTest {

  @Test
  void marksRemovedAddedAndKeptLines() {
    assertThat(LineDiff.diff("a\nb\nc\nd", "a\nc\nx\nd")).containsExactly(
        "  a", "- b", "  c", "+ x", "  d");
  }

  @Test
  void fromNothingEverythingIsAdded() {
    assertThat(LineDiff.diff("", "a\nb")).containsExactly("+ a", "+ b");
    assertThat(LineDiff.diff("a", "a")).containsExactly("  a");
  }
}
