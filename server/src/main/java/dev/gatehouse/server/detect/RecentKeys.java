package dev.gatehouse.server.detect;

import java.util.HashSet;
import java.util.Set;

/** The last few keys seen with their times: how many distinct ones lately. */
final class RecentKeys {

  private final String[] keys;
  private final long[] times;
  private int next;

  RecentKeys(int size) {
    keys = new String[size];
    times = new long[size];
  }

  void add(String key, long time) {
    keys[next] = key == null ? "" : key;
    times[next] = time;
    next = (next + 1) % keys.length;
  }

  /** Distinct keys among those seen at or after {@code since}. */
  int distinct(long since) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null && times[i] >= since) {
        seen.add(keys[i]);
      }
    }
    return seen.size();
  }
}
