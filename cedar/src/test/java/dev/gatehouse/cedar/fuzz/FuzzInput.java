package dev.gatehouse.cedar.fuzz;

import java.nio.charset.StandardCharsets;

/** How fuzz targets read their bytes: as the UTF-8 text a caller would send. */
final class FuzzInput {

  /** Inputs larger than this are skipped: the parsers' size limits sit in their callers. */
  static final int MAX_BYTES = 64 * 1024;

  private FuzzInput() {}

  /** The input as text, or null when it is too large to be worth a run. */
  static String text(byte[] input) {
    return input.length > MAX_BYTES ? null : new String(input, StandardCharsets.UTF_8);
  }
}
