package dev.gatehouse.server.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of two texts: every line of the result starts with {@code "  "} (in both),
 * {@code "- "} (only in the old) or {@code "+ "} (only in the new), as a longest common
 * subsequence of lines finds them.
 */
final class LineDiff {

  /** Beyond this many lines on both sides the table would be too large: the diff is coarse. */
  private static final int MAX_LINES = 3_000;

  private LineDiff() {}

  static List<String> diff(String oldText, String newText) {
    String[] a = lines(oldText);
    String[] b = lines(newText);
    int start = 0;
    while (start < a.length && start < b.length && a[start].equals(b[start])) {
      start++;
    }
    int endA = a.length;
    int endB = b.length;
    while (endA > start && endB > start && a[endA - 1].equals(b[endB - 1])) {
      endA--;
      endB--;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < start; i++) {
      out.add("  " + a[i]);
    }
    int n = endA - start;
    int m = endB - start;
    if ((long) n * m > (long) MAX_LINES * MAX_LINES) {
      for (int i = start; i < endA; i++) {
        out.add("- " + a[i]);
      }
      for (int j = start; j < endB; j++) {
        out.add("+ " + b[j]);
      }
    } else {
      int[][] lcs = new int[n + 1][m + 1];
      for (int i = n - 1; i >= 0; i--) {
        for (int j = m - 1; j >= 0; j--) {
          lcs[i][j] = a[start + i].equals(b[start + j])
              ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
        }
      }
      int i = 0;
      int j = 0;
      while (i < n || j < m) {
        if (i < n && j < m && a[start + i].equals(b[start + j])) {
          out.add("  " + a[start + i]);
          i++;
          j++;
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
          out.add("- " + a[start + i]);
          i++;
        } else {
          out.add("+ " + b[start + j]);
          j++;
        }
      }
    }
    for (int i = endA; i < a.length; i++) {
      out.add("  " + a[i]);
    }
    return out;
  }

  private static String[] lines(String text) {
    if (text == null || text.isEmpty()) {
      return new String[0];
    }
    return text.split("\r?\n", -1);
  }
}
