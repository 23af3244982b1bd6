package dev.gatehouse.server.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The address of the client behind a request: the TCP peer, unless the peer is one of the
 * configured trusted proxies ({@code server.trusted-proxies}), in which case the address those
 * proxies report in RFC 7239 {@code Forwarded} (preferred) or {@code X-Forwarded-For}.
 *
 * <p>The forwarding list is read from the right, skipping trusted proxies: the first address that
 * is not one is the client (RFC 7239 §7.5: the header "can be modified by any node", so only the
 * entries our own proxies appended can be believed). A peer that is not trusted is the client,
 * whatever it claims. Every throttle, event and detector uses this one answer.
 */
public final class ClientAddress {

  /** An address range: {@code 10.0.0.0/8}, {@code ::1/128}, or one address. */
  record Cidr(byte[] network, int bits) {

    static Cidr parse(String text) {
      String t = text.strip();
      int slash = t.indexOf('/');
      byte[] address = literal(slash < 0 ? t : t.substring(0, slash));
      if (address == null) {
        throw new IllegalArgumentException("`" + text + "` is not an IP address or CIDR range");
      }
      int bits = address.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > address.length * 8) {
          throw new IllegalArgumentException("`" + text + "` has a bad prefix length");
        }
      }
      return new Cidr(address, bits);
    }

    boolean contains(byte[] address) {
      if (address == null || address.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Cidr> trusted;

  /** Trusting {@code proxies} (CIDR ranges or addresses); none: the peer is always the client. */
  public ClientAddress(List<String> proxies) {
    this.trusted = proxies.stream().filter(p -> !p.isBlank()).map(Cidr::parse).toList();
  }

  /** The client address of {@code req}, as text ({@code "unknown"} when there is none). */
  public String of(ServerRequest req) {
    String peer = req.remotePeer().address() instanceof InetSocketAddress a
        ? a.getAddress().getHostAddress() : null;
    if (peer == null) {
      return "unknown";
    }
    if (!isTrusted(literal(peer))) {
      return peer;
    }
    // Several header lines are one list, in order (RFC 9110 §5.3).
    List<String> forwarded = req.headers().all(HeaderNames.FORWARDED, List::of);
    List<String> hops = !forwarded.isEmpty() ? forwardedFor(String.join(",", forwarded))
        : List.of(String.join(",", req.headers().all(HeaderNames.X_FORWARDED_FOR, List::of))
            .split(","));
    return client(peer, hops);
  }

  /** The rightmost address of {@code hops} (nearest last) that is not a trusted proxy. */
  String client(String peer, List<String> hops) {
    String client = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      byte[] hop = literal(strip(hops.get(i)));
      if (hop == null) {
        // An obfuscated or garbled entry: the proxy next to it is as far as we can see.
        return client;
      }
      client = normalize(hop);
      if (!isTrusted(hop)) {
        return client;
      }
    }
    return client;
  }

  private boolean isTrusted(byte[] address) {
    for (Cidr c : trusted) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code for=} values of an RFC 7239 header, in order. */
  static List<String> forwardedFor(String header) {
    List<String> out = new ArrayList<>();
    for (String element : header.split(",")) {
      String found = "";
      for (String pair : element.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
          found = pair.substring(eq + 1).strip();
        }
      }
      out.add(found);
    }
    return out;
  }

  /** An address from a forwarding entry: quotes, brackets and ports removed. */
  static String strip(String entry) {
    String s = entry.strip();
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1);
    }
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      return end < 0 ? "" : s.substring(1, end);
    }
    int colon = s.indexOf(':');
    // One colon is IPv4 with a port; more is a bare IPv6 address.
    return colon >= 0 && s.indexOf(':', colon + 1) < 0 ? s.substring(0, colon) : s;
  }

  /** The bytes of an IP literal, or null when {@code s} is not one (never a DNS lookup). */
  static byte[] literal(String s) {
    // Only literals reach InetAddress: a name there would be a DNS lookup.
    if (!s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") && !s.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      return null;
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static String normalize(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
