package dev.gatehouse.server.detect;

/**
 * Address helpers: the subnet an address belongs to for grouping (/24 IPv4, /48 IPv6), and its
 * wider network block (/16, /32).
 */
final class Network {

  private Network() {}

  /** {@code 203.0.113.0/24} for {@code 203.0.113.7}; {@code 2001:db8:1::/48} for IPv6. */
  static String subnet(String ip) {
    if (ip == null || ip.isEmpty()) {
      return "none";
    }
    if (ip.indexOf(':') >= 0) {
      String[] g = ip.split(":", -1);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 3 && i < g.length; i++) {
        b.append(g[i].isEmpty() ? "0" : g[i]).append(':');
      }
      return b.append(":/48").toString();
    }
    int dot = ip.lastIndexOf('.');
    return dot < 0 ? ip : ip.substring(0, dot) + ".0/24";
  }

  /**
   * The network block of an address, a crude stand-in for its provider where no ASN database is
   * read: {@code 203.0.0.0/16} for {@code 203.0.113.7}; {@code 2001:db8::/32} for IPv6 (a
   * provider's usual allocation).
   */
  static String block(String ip) {
    if (ip == null || ip.isEmpty()) {
      return "none";
    }
    if (ip.indexOf(':') >= 0) {
      String[] g = ip.split(":", -1);
      return (g[0].isEmpty() ? "0" : g[0]) + ":" + (g.length < 2 || g[1].isEmpty() ? "0" : g[1])
          + "::/32";
    }
    int second = ip.indexOf('.', ip.indexOf('.') + 1);
    return second < 0 ? ip : ip.substring(0, second) + ".0.0/16";
  }

  /** A user agent's family: product and platform without version numbers (updates are not news). */
  static String agentFamily(String ua) {
    if (ua == null || ua.isEmpty()) {
      return "none";
    }
    String s = ua.length() > 256 ? ua.substring(0, 256) : ua;
    return s.replaceAll("[0-9]+([._][0-9]+)*", "#");
  }
}
