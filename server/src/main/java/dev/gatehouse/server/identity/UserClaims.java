package dev.gatehouse.server.identity;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user's claims as an OpenID Provider releases them (OpenID Connect Core §5.1, §5.4): which
 * claims each scope asks for, and their values. A claim without a value is left out (§5.3.2:
 * "If a Claim is not returned, that Claim Name SHOULD be omitted").
 */
public final class UserClaims {

  /** §5.4: the claims each scope value requests. */
  public static final Map<String, List<String>> BY_SCOPE = Map.of(
      "profile", List.of("name", "family_name", "given_name", "middle_name", "nickname",
          "preferred_username", "profile", "picture", "website", "gender", "birthdate",
          "zoneinfo", "locale", "updated_at"),
      "email", List.of("email", "email_verified"),
      "address", List.of("address"),
      "phone", List.of("phone_number", "phone_number_verified"));

  /** Every claim a user can have here, {@code sub} first. */
  public static final List<String> SUPPORTED = List.of("sub", "name", "given_name",
      "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
      "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at", "email",
      "email_verified", "address", "phone_number", "phone_number_verified");

  private UserClaims() {}

  /** The claim names {@code scopes} request. */
  public static Set<String> namesFor(Set<String> scopes) {
    Set<String> names = new LinkedHashSet<>();
    for (String s : scopes) {
      names.addAll(BY_SCOPE.getOrDefault(s, List.of()));
    }
    return names;
  }

  /**
   * The scopes that request {@code names} (§5.4), for the claims parameter (§5.5): a claim asked
   * for by name is released under the consent its scope would need.
   */
  public static Set<String> scopesOf(Iterable<String> names) {
    Set<String> scopes = new LinkedHashSet<>();
    for (String n : names) {
      BY_SCOPE.forEach((scope, claims) -> {
        if (claims.contains(n)) {
          scopes.add(scope);
        }
      });
    }
    return scopes;
  }

  /** The value of claim {@code name} of {@code u}, or null when it has none. */
  public static Object value(User u, String name) {
    return switch (name) {
      case "sub" -> u.id();
      case "name" -> u.displayName() != null ? u.displayName() : u.username();
      case "preferred_username" -> u.username();
      case "updated_at" -> u.updatedAt();
      case "email" -> u.email();
      case "email_verified" -> u.email() == null ? null : u.emailVerified();
      default -> u.claims().get(name);
    };
  }

  /** {@code names}' values of {@code u}, in order, those with a value only. */
  public static Map<String, Object> of(User u, Iterable<String> names) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String n : names) {
      Object v = value(u, n);
      if (v != null) {
        out.put(n, v);
      }
    }
    return out;
  }
}
