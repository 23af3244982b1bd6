package dev.gatehouse.server.outbound;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides which addresses the server may call when a tenant gives it a URL (webhooks, back-channel
 * logout, any later metadata fetch): public unicast addresses, and the networks an operator
 * allow-lists ({@code outbound.allowed-networks}); never loopback, private, link-local, CGNAT,
 * unique-local, multicast, reserved or documentation ranges, nor an IPv6 address that embeds one
 * of those (IPv4-mapped, NAT64, 6to4).
 *
 * <p>The check is made on the resolved addresses, every one of them (a name with one public and one
 * private record is refused), and the caller connects to the address that was checked, never
 * resolving again: a DNS answer that changes between check and connect (rebinding) cannot redirect
 * the call. {@link OutboundHttp} does both and follows no redirects.
 *
 * <p>Cloud metadata endpoints ({@link #METADATA}) stay refused under a broad allow-list entry such
 * as {@code 169.254.0.0/16}; only an entry naming exactly that address opens one.
 */
public final class OutboundGuard {

  /** Resolves a host name to its addresses; {@link InetAddress#getAllByName} in production. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** A target the policy does not allow; the message is safe to show to the URL's owner. */
  public static final class Refused extends IOException {
    Refused(String message) {
      super(message);
    }
  }

  /** The guard of a server with nothing allow-listed. */
  public static final OutboundGuard STRICT = new OutboundGuard(List.of(), InetAddress::getAllByName);

  /**
   * Special-purpose blocks (IANA IPv4 and IPv6 Special-Purpose Address Registries) that are not
   * globally reachable, plus multicast.
   */
  private static final List<Cidr> BLOCKED = cidrs(
      "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
      "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
      "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
      "::/96", "::1/128", "100::/64", "2001::/32", "2001:db8::/32", "64:ff9b:1::/48",
      "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8");

  /** Instance metadata services of AWS, GCP, Azure, OCI, ECS, Alibaba Cloud (IPv4 and IPv6). */
  public static final List<Cidr> METADATA = cidrs("169.254.169.254", "169.254.170.2",
      "169.254.170.23", "100.100.100.200", "192.0.0.192", "fd00:ec2::254");

  private final List<Cidr> allowed;
  private final Resolver resolver;

  public OutboundGuard(List<Cidr> allowed, Resolver resolver) {
    this.allowed = List.copyOf(allowed);
    this.resolver = resolver;
  }

  /** A guard that also allows {@code allowed}, resolving with the system resolver. */
  public static OutboundGuard allowing(List<Cidr> allowed) {
    return new OutboundGuard(allowed, InetAddress::getAllByName);
  }

  /**
   * The addresses of {@code host} to connect to, all of them allowed; {@link Refused} when any is
   * not (a name is judged by all its records, not the one a connection would happen to use).
   */
  public List<InetAddress> resolve(String host) throws IOException {
    String h = host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1) : host;
    InetAddress[] found = resolver.resolve(h);
    if (found.length == 0) {
      throw new UnknownHostException(h);
    }
    for (InetAddress a : found) {
      if (!permits(a)) {
        throw new Refused("the target address is not allowed (private, loopback, link-local or"
            + " reserved)");
      }
    }
    return List.of(found);
  }

  /** Whether a connection to {@code address} is allowed. */
  public boolean permits(InetAddress address) {
    byte[] b = address.getAddress();
    for (Cidr m : METADATA) {
      if (m.contains(b)) {
        return allowed.stream().anyMatch(a -> a.single() && a.contains(b));
      }
    }
    for (Cidr a : allowed) {
      if (a.contains(b)) {
        return true;
      }
    }
    byte[] embedded = embeddedIpv4(b);
    if (embedded != null) {
      try {
        return permits(InetAddress.getByAddress(embedded));
      } catch (UnknownHostException e) {
        return false;
      }
    }
    for (Cidr c : BLOCKED) {
      if (c.contains(b)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why {@code url} cannot be a target, or null: at registration, so that the owner hears at once.
   * A name that does not resolve now is accepted; it is judged again at every call.
   */
  public String problem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException | NullPointerException e) {
      return "is not a URL";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return "must be an http(s) URL";
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      return "must name a host, without user info";
    }
    try {
      resolve(uri.getHost());
    } catch (Refused e) {
      return "points to an address that is not allowed (private, loopback, link-local or"
          + " reserved); an operator can allow internal networks with outbound.allowed-networks";
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** The IPv4 address inside an IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 IPv6 address. */
  private static byte[] embeddedIpv4(byte[] b) {
    if (b.length != 16) {
      return null;
    }
    boolean zeros80 = true;
    for (int i = 0; i < 10; i++) {
      zeros80 &= b[i] == 0;
    }
    if (zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return java.util.Arrays.copyOfRange(b, 12, 16);
    }
    boolean nat64 = (b[0] & 0xff) == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
        && (b[3] & 0xff) == 0x9b;
    for (int i = 4; nat64 && i < 12; i++) {
      nat64 = b[i] == 0;
    }
    if (nat64) {
      return java.util.Arrays.copyOfRange(b, 12, 16);
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
      return java.util.Arrays.copyOfRange(b, 2, 6);
    }
    return null;
  }

  private static List<Cidr> cidrs(String... blocks) {
    List<Cidr> out = new ArrayList<>();
    for (String s : blocks) {
      out.add(Cidr.parse(s));
    }
    return List.copyOf(out);
  }
}
