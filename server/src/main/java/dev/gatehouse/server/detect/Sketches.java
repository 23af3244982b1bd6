package dev.gatehouse.server.detect;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Fixed-size summaries the detectors keep instead of raw history: a count-min sketch (how often a
 * value was seen), a HyperLogLog (how many distinct values), a Bloom filter (whether a value was
 * ever seen) and an LRU map (per-key state, bounded). Each has a size fixed at construction, so a
 * detector's memory does not grow with traffic.
 */
final class Sketches {

  private Sketches() {}

  /** 64-bit hash of a string (FNV-1a then a finaliser): fast, not for secrets. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (byte x : b) {
      h ^= x & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** Count-min sketch: an estimate never below the true count, above it by a few collisions. */
  static final class CountMin {
    private final int[][] rows;
    private final int mask;
    private long total;

    CountMin(int depth, int widthPowerOfTwo) {
      rows = new int[depth][widthPowerOfTwo];
      mask = widthPowerOfTwo - 1;
    }

    void add(String v) {
      long h = hash(v);
      for (int i = 0; i < rows.length; i++) {
        int idx = (int) ((h >>> (i * 13)) ^ (h * (i + 1))) & mask;
        if (rows[i][idx] < Integer.MAX_VALUE) {
          rows[i][idx]++;
        }
      }
      total++;
    }

    int count(String v) {
      long h = hash(v);
      int min = Integer.MAX_VALUE;
      for (int i = 0; i < rows.length; i++) {
        min = Math.min(min, rows[i][(int) ((h >>> (i * 13)) ^ (h * (i + 1))) & mask]);
      }
      return min;
    }

    long total() {
      return total;
    }
  }

  /** HyperLogLog with 2^10 registers (about 3% error). */
  static final class HyperLogLog {
    private static final int P = 10;
    private final byte[] registers = new byte[1 << P];

    void add(String v) {
      long h = hash(v);
      int idx = (int) (h >>> (64 - P));
      byte rank = (byte) (Long.numberOfLeadingZeros((h << P) | (1L << (P - 1))) + 1);
      if (rank > registers[idx]) {
        registers[idx] = rank;
      }
    }

    double estimate() {
      double sum = 0;
      int zeros = 0;
      for (byte r : registers) {
        sum += Math.pow(2, -r);
        if (r == 0) {
          zeros++;
        }
      }
      int m = registers.length;
      double e = 0.7213 / (1 + 1.079 / m) * m * m / sum;
      return e <= 2.5 * m && zeros > 0 ? m * Math.log((double) m / zeros) : e;
    }
  }

  /** Bloom filter: "seen before" with a small false-positive rate, never a false negative. */
  static final class Bloom {
    private final long[] bits;
    private final int mask;

    Bloom(int bitsPowerOfTwo) {
      bits = new long[Math.max(1, bitsPowerOfTwo / 64)];
      mask = bitsPowerOfTwo - 1;
    }

    void add(String v) {
      long h = hash(v);
      for (int i = 0; i < 5; i++) {
        int b = (int) (h + i * (h >>> 32)) & mask;
        bits[b >>> 6] |= 1L << b;
      }
    }

    boolean contains(String v) {
      long h = hash(v);
      for (int i = 0; i < 5; i++) {
        int b = (int) (h + i * (h >>> 32)) & mask;
        if ((bits[b >>> 6] & (1L << b)) == 0) {
          return false;
        }
      }
      return true;
    }
  }

  /** A map that forgets its least recently used entries beyond {@code capacity}. */
  static final class Lru<K, V> extends LinkedHashMap<K, V> {
    private final int capacity;

    Lru(int capacity) {
      super(16, 0.75f, true);
      this.capacity = capacity;
    }

    V get(K key, Function<K, V> create) {
      V v = get(key);
      if (v == null) {
        v = create.apply(key);
        put(key, v);
      }
      return v;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
      return size() > capacity;
    }
  }
}
