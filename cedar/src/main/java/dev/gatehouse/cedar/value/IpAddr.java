package dev.gatehouse.cedar.value;

/**
 * A Cedar {@code ipaddr}: an IPv4 or IPv6 address with a prefix length (32 or 128 for a single
 * address).
 *
 * <p>Parsing follows Rust's {@code std::net} rules, which Cedar uses: IPv4 octets are decimal
 * without leading zeros; IPv6 groups are 1 to 4 hex digits with at most one {@code ::}; IPv4
 * embedded in IPv6 (two or more colons and two or more dots) is rejected.
 *
 * @param v6 whether this is an IPv6 address
 * @param hi the upper 64 bits of an IPv6 address; 0 for IPv4
 * @param lo the lower 64 bits of an IPv6 address, or the 32-bit IPv4 address
 * @param prefix the prefix length
 */
public record IpAddr(boolean v6, long hi, long lo, int prefix) implements ExtValue {
  /**
   * Parses an address or a CIDR range.
   *
   * @throws IllegalArgumentException when malformed
   */
  public static IpAddr parse(String s) {
    if (s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException("error parsing IP address from string `" + s + "`: string length is too large");
    }
    if (count(s, ':') >= 2 && count(s, '.') >= 2) {
      throw new IllegalArgumentException("error parsing IP address from string: we do not accept IPv4 embedded in IPv6, found `" + s + "`");
    }
    int slash = s.indexOf('/');
    if (slash < 0) {
      IpAddr whole = parseAddr(s);
      if (whole == null) {
        throw new IllegalArgumentException("invalid IP address `" + s + "`");
      }
      return whole;
    }
    IpAddr addr = parseAddr(s.substring(0, slash));
    if (addr == null) {
      throw new IllegalArgumentException("error parsing IP address from the string `" + s.substring(0, slash) + "`");
    }
    int p = parsePrefix(s.substring(slash + 1), addr.v6 ? 128 : 32, addr.v6 ? 3 : 2);
    return new IpAddr(addr.v6, addr.hi, addr.lo, p);
  }

  /** The longest accepted text: {@code ABCD:EF01:2345:6789:ABCD:EF01:2345:6789/128}. */
  private static final int MAX_TEXT_LENGTH = 43;

  /** Parses a prefix length: ASCII digits, no leading zeros, at most {@code max}. */
  private static int parsePrefix(String s, int max, int maxLen) {
    if (s.length() > maxLen) {
      throw new IllegalArgumentException("error parsing prefix: string length " + s.length() + " is too large");
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("error parsing prefix from the string ``");
    }
    int v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("error parsing prefix `" + s + "`: encountered non-digit");
      }
      v = v * 10 + (c - '0');
    }
    if (s.startsWith("0") && !s.equals("0")) {
      throw new IllegalArgumentException("error parsing prefix `" + s + "`: leading zero(s)");
    }
    if (v > max) {
      throw new IllegalArgumentException("error parsing prefix: " + v + " is larger than the limit " + max);
    }
    return v;
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }

  private static IpAddr parseAddr(String s) {
    long v4 = parseV4(s);
    if (v4 >= 0) {
      return new IpAddr(false, 0, v4, 32);
    }
    long[] v6 = parseV6(s);
    return v6 == null ? null : new IpAddr(true, v6[0], v6[1], 128);
  }

  /** Returns the address as an unsigned 32-bit value, or -1. */
  private static long parseV4(String s) {
    long result = 0;
    int i = 0;
    for (int octet = 0; octet < 4; octet++) {
      if (octet > 0) {
        if (i >= s.length() || s.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
      int start = i;
      int v = 0;
      while (i < s.length() && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        v = v * 10 + (s.charAt(i) - '0');
        i++;
      }
      int len = i - start;
      if (len == 0 || v > 255 || (len > 1 && s.charAt(start) == '0')) {
        return -1;
      }
      result = (result << 8) | v;
    }
    return i == s.length() ? result : -1;
  }

  /** Returns {hi, lo}, or null. */
  private static long[] parseV6(String s) {
    int[] groups = new int[8];
    int dbl = s.indexOf("::");
    int n;
    if (dbl < 0) {
      n = parseGroups(s, groups, 0, 8);
      if (n != 8) {
        return null;
      }
    } else {
      if (s.indexOf("::", dbl + 1) >= 0) {
        return null;
      }
      String head = s.substring(0, dbl);
      String tail = s.substring(dbl + 2);
      int[] h = new int[8];
      int[] t = new int[8];
      int hn = head.isEmpty() ? 0 : parseGroups(head, h, 0, 7);
      if (hn < 0) {
        return null;
      }
      int tn = tail.isEmpty() ? 0 : parseGroups(tail, t, 0, 7 - hn);
      if (tn < 0 || hn + tn > 7) {
        return null;
      }
      System.arraycopy(h, 0, groups, 0, hn);
      System.arraycopy(t, 0, groups, 8 - tn, tn);
    }
    long hi = 0;
    long lo = 0;
    for (int k = 0; k < 4; k++) {
      hi = (hi << 16) | groups[k];
      lo = (lo << 16) | groups[k + 4];
    }
    return new long[] {hi, lo};
  }

  /** Parses colon-separated hex groups into {@code out}; returns the count or -1. */
  private static int parseGroups(String s, int[] out, int from, int max) {
    String[] parts = s.split(":", -1);
    if (parts.length > max) {
      return -1;
    }
    for (int k = 0; k < parts.length; k++) {
      String p = parts[k];
      if (p.isEmpty() || p.length() > 4) {
        return -1;
      }
      int v = 0;
      for (int i = 0; i < p.length(); i++) {
        int d = Character.digit(p.charAt(i), 16);
        if (d < 0 || p.charAt(i) > 'f') {
          return -1;
        }
        v = v * 16 + d;
      }
      out[from + k] = v;
    }
    return parts.length;
  }

  /** Returns whether this is an IPv4 address. */
  public boolean isIpv4() {
    return !v6;
  }

  /** Returns whether this is an IPv6 address. */
  public boolean isIpv6() {
    return v6;
  }

  /** Returns whether the whole range is loopback: within 127.0.0.0/8 or exactly ::1. */
  public boolean isLoopback() {
    // The whole range must be loopback: the prefix may not reach beyond 127.0.0.0/8 or ::1/128.
    return v6 ? hi == 0 && lo == 1 && prefix >= 128 : (lo >>> 24) == 127 && prefix >= 8;
  }

  /** Returns whether the whole range is multicast: in 224.0.0.0/4 or ff00::/8. */
  public boolean isMulticast() {
    return v6 ? (hi >>> 56) == 0xff && prefix >= 8 : (lo >>> 28) == 0xe && prefix >= 4;
  }

  /** Returns whether this range lies within {@code other}'s range (false across IP versions). */
  public boolean isInRange(IpAddr other) {
    if (v6 != other.v6) {
      return false;
    }
    if (!v6) {
      long selfNet = lo & mask32(prefix);
      long otherNet = other.lo & mask32(other.prefix);
      long selfBcast = lo | (~mask32(prefix) & 0xffffffffL);
      long otherBcast = other.lo | (~mask32(other.prefix) & 0xffffffffL);
      return otherNet <= selfNet && selfBcast <= otherBcast;
    }
    long[] sn = net(hi, lo, prefix);
    long[] on = net(other.hi, other.lo, other.prefix);
    long[] sb = bcast(hi, lo, prefix);
    long[] ob = bcast(other.hi, other.lo, other.prefix);
    return cmp128(on, sn) <= 0 && cmp128(sb, ob) <= 0;
  }

  private static long mask32(int p) {
    return p == 0 ? 0 : (0xffffffffL << (32 - p)) & 0xffffffffL;
  }

  private static long[] mask128(int p) {
    long mhi = p >= 64 ? -1L : (p == 0 ? 0 : -1L << (64 - p));
    long mlo = p <= 64 ? 0 : (p == 128 ? -1L : -1L << (128 - p));
    return new long[] {mhi, mlo};
  }

  private static long[] net(long hi, long lo, int p) {
    long[] m = mask128(p);
    return new long[] {hi & m[0], lo & m[1]};
  }

  private static long[] bcast(long hi, long lo, int p) {
    long[] m = mask128(p);
    return new long[] {hi | ~m[0], lo | ~m[1]};
  }

  private static int cmp128(long[] a, long[] b) {
    int c = Long.compareUnsigned(a[0], b[0]);
    return c != 0 ? c : Long.compareUnsigned(a[1], b[1]);
  }

  @Override
  public String typeName() {
    return "ipaddr";
  }

  @Override
  public String constructor() {
    return "ip";
  }

  @Override
  public String constructorArg() {
    StringBuilder b = new StringBuilder();
    if (!v6) {
      b.append(lo >>> 24).append('.').append((lo >>> 16) & 0xff).append('.').append((lo >>> 8) & 0xff).append('.').append(lo & 0xff);
      if (prefix != 32) {
        b.append('/').append(prefix);
      }
    } else {
      for (int k = 0; k < 8; k++) {
        long word = k < 4 ? hi : lo;
        int shift = 48 - 16 * (k % 4);
        if (k > 0) {
          b.append(':');
        }
        b.append(Long.toHexString((word >>> shift) & 0xffff));
      }
      if (prefix != 128) {
        b.append('/').append(prefix);
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return "ip(\"" + constructorArg() + "\")";
  }
}
