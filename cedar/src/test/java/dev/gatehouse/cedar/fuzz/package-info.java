/**
 * Coverage-guided fuzz tests (Jazzer {@code @FuzzTest}) of every parser that reads untrusted
 * input. Each target lets through only the exceptions its API documents; anything else (another
 * exception, a {@link StackOverflowError}, an {@link OutOfMemoryError}) is a finding. In a normal
 * build they replay the seeds under {@code src/test/resources/.../<Class>Inputs/<method>/};
 * {@code JAZZER_FUZZ=1} fuzzes (docs/fuzzing.md).
 */
package dev.gatehouse.cedar.fuzz;
