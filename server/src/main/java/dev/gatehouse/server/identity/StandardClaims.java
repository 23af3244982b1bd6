package dev.gatehouse.server.identity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The standard claims of a user that are not columns of their own (OpenID Connect Core §5.1):
 * the rest of the profile, the phone number and the postal address. Kept apart from custom
 * attributes, which are projected into Cedar entities; released by scope (§5.4) or by the
 * {@code claims} request parameter (§5.5).
 *
 * <p>{@code sub}, {@code name}, {@code preferred_username}, {@code email},
 * {@code email_verified} and {@code updated_at} come from the user's own fields and cannot be set
 * here.
 */
public final class StandardClaims {

  /** §5.1 string claims of the profile scope held here. */
  public static final List<String> PROFILE = List.of("given_name", "family_name", "middle_name",
      "nickname", "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale");
  /** §5.1 claims of the phone scope. */
  public static final List<String> PHONE = List.of("phone_number", "phone_number_verified");
  /** §5.1.1 members of the address claim. */
  public static final Set<String> ADDRESS_MEMBERS = Set.of("formatted", "street_address",
      "locality", "region", "postal_code", "country");

  private static final Set<String> URLS = Set.of("profile", "picture", "website");
  private static final Pattern BIRTHDATE =
      Pattern.compile("(0000|\\d{4})(-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01]))?|--(0[1-9]|1[0-2])-"
          + "(0[1-9]|[12]\\d|3[01])");
  private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*");
  private static final Pattern PHONE_NUMBER = Pattern.compile("\\+?[0-9 ().-]{3,40}(;ext=\\d+)?");
  private static final int MAX_LENGTH = 500;

  private StandardClaims() {}

  /**
   * Validates {@code in} (from the admin API or a config file) and returns it as stored; a null
   * value removes the claim.
   *
   * @throws IdentityException naming the first claim that is unknown or malformed
   */
  public static Map<String, Object> validate(Map<String, Object> in) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (in == null) {
      return out;
    }
    for (Map.Entry<String, Object> e : in.entrySet()) {
      String name = e.getKey();
      Object v = e.getValue();
      if (v == null) {
        continue;
      }
      if (name.equals("address")) {
        out.put(name, address(v));
      } else if (name.equals("phone_number_verified")) {
        if (!(v instanceof Boolean)) {
          throw IdentityException.invalid("claim `phone_number_verified` must be true or false");
        }
        out.put(name, v);
      } else if (PROFILE.contains(name) || name.equals("phone_number")) {
        out.put(name, string(name, v));
      } else {
        throw IdentityException.invalid("claim `" + printable(name) + "` is not a standard claim"
            + " that can be set (OpenID Connect Core section 5.1); custom values go in"
            + " attributes");
      }
    }
    return Map.copyOf(out);
  }

  private static String string(String name, Object v) {
    if (!(v instanceof String s) || s.isEmpty() || s.length() > MAX_LENGTH) {
      throw IdentityException.invalid("claim `" + name + "` must be a string of 1 to "
          + MAX_LENGTH + " characters");
    }
    if (URLS.contains(name) && !(s.startsWith("https://") || s.startsWith("http://"))) {
      throw IdentityException.invalid("claim `" + name + "` must be an http(s) URL");
    }
    if (name.equals("birthdate") && !BIRTHDATE.matcher(s).matches()) {
      throw IdentityException.invalid("claim `birthdate` must be YYYY-MM-DD, YYYY or --MM-DD"
          + " (ISO 8601)");
    }
    if (name.equals("locale") && !LOCALE.matcher(s).matches()) {
      throw IdentityException.invalid("claim `locale` must be a BCP 47 language tag such as"
          + " en-US");
    }
    if (name.equals("zoneinfo") && !s.matches("[A-Za-z0-9_+/-]{1,64}")) {
      throw IdentityException.invalid("claim `zoneinfo` must be a time zone name such as"
          + " Europe/Paris");
    }
    if (name.equals("phone_number") && !PHONE_NUMBER.matcher(s).matches()) {
      throw IdentityException.invalid("claim `phone_number` must be a telephone number, E.164"
          + " recommended (+1 555 0100)");
    }
    return s;
  }

  private static Map<String, Object> address(Object v) {
    if (!(v instanceof Map<?, ?> m)) {
      throw IdentityException.invalid("claim `address` must be a JSON object (OpenID Connect"
          + " Core section 5.1.1)");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String k = String.valueOf(e.getKey());
      if (!ADDRESS_MEMBERS.contains(k)) {
        throw IdentityException.invalid("address member `" + printable(k) + "` is not one of "
            + new java.util.TreeSet<>(ADDRESS_MEMBERS));
      }
      if (e.getValue() != null) {
        out.put(k, string("address." + k, e.getValue()));
      }
    }
    return Map.copyOf(out);
  }

  private static String printable(String s) {
    return s.length() > 64 ? s.substring(0, 64) : s.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
