package dev.gatehouse.server.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --claim name=value} options as the admin API's {@code claims} object: {@code true} and
 * {@code false} are booleans, {@code address.member=value} fills the address object.
 */
final class ClaimOptions {

  private ClaimOptions() {}

  static Map<String, Object> parse(List<String> options) {
    Map<String, Object> claims = new LinkedHashMap<>();
    Map<String, Object> address = new LinkedHashMap<>();
    for (String o : options) {
      int eq = o.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--claim `" + o + "`: expected name=value");
      }
      String name = o.substring(0, eq);
      String value = o.substring(eq + 1);
      if (name.startsWith("address.")) {
        address.put(name.substring("address.".length()), value);
      } else if (name.equals("phone_number_verified")) {
        claims.put(name, Boolean.parseBoolean(value));
      } else {
        claims.put(name, value);
      }
    }
    if (!address.isEmpty()) {
      claims.put("address", address);
    }
    return claims;
  }
}
