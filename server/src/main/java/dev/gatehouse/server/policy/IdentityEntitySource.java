package dev.gatehouse.server.policy;

import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.value.BoolValue;
import dev.gatehouse.cedar.value.LongValue;
import dev.gatehouse.cedar.value.RecordValue;
import dev.gatehouse.cedar.value.SetValue;
import dev.gatehouse.cedar.value.StringValue;
import dev.gatehouse.cedar.value.Value;
import dev.gatehouse.server.identity.GroupStore;
import dev.gatehouse.server.identity.User;
import dev.gatehouse.server.identity.UserService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tenant's people as entities: {@code <namespace>::User} (attributes {@code username},
 * {@code email_verified}, {@code disabled}, and {@code email}, {@code display_name} and
 * {@code attributes} when set), members of their {@code <namespace>::Group}s (each in its parent
 * group) and {@code <namespace>::Role}s. A user's uid is its stable id, the {@code sub} of its
 * tokens.
 *
 * <p>Custom attributes map to Cedar values: strings, integers, booleans, arrays as sets and
 * objects as records; numbers with fractions and nulls have no Cedar value and are left out.
 */
public final class IdentityEntitySource implements EntitySource {

  public static final String USER = "User";
  public static final String GROUP = "Group";
  public static final String ROLE = "Role";

  private final UserService users;

  public IdentityEntitySource(UserService users) {
    this.users = users;
  }

  @Override
  public List<Entity> entities(String tenantId, String namespace) {
    List<Entity> out = new ArrayList<>();
    Set<String> roleNames = new HashSet<>();
    for (GroupStore.Group g : users.groups(tenantId)) {
      Set<EntityUid> parents = g.parent() == null ? Set.of()
          : Set.of(uid(namespace, GROUP, g.parent()));
      Map<String, Value> attrs = new LinkedHashMap<>();
      attrs.put("name", new StringValue(g.name()));
      out.add(new Entity(uid(namespace, GROUP, g.name()), attrs, parents, Map.of()));
    }
    Map<String, Set<String>> memberships = users.memberships(tenantId);
    Map<String, Set<String>> roles = users.roleAssignments(tenantId);
    String after = null;
    while (true) {
      List<User> page = users.list(tenantId, null, after, 500);
      for (User u : page) {
        Set<EntityUid> parents = new HashSet<>();
        memberships.getOrDefault(u.id(), Set.of())
            .forEach(g -> parents.add(uid(namespace, GROUP, g)));
        for (String r : roles.getOrDefault(u.id(), Set.of())) {
          parents.add(uid(namespace, ROLE, r));
          roleNames.add(r);
        }
        out.add(new Entity(uid(namespace, USER, u.id()), attributes(u), parents, Map.of()));
      }
      if (page.size() < 500) {
        break;
      }
      after = page.get(page.size() - 1).username();
    }
    for (String r : roleNames) {
      out.add(new Entity(uid(namespace, ROLE, r), Map.of("name", new StringValue(r)), Set.of(),
          Map.of()));
    }
    return out;
  }

  private static Map<String, Value> attributes(User u) {
    Map<String, Value> attrs = new LinkedHashMap<>();
    attrs.put("username", new StringValue(u.username()));
    if (u.email() != null) {
      attrs.put("email", new StringValue(u.email()));
    }
    attrs.put("email_verified", BoolValue.of(u.emailVerified()));
    if (u.displayName() != null) {
      attrs.put("display_name", new StringValue(u.displayName()));
    }
    attrs.put("disabled", BoolValue.of(u.disabled()));
    Value custom = toValue(u.attributes(), 0);
    if (custom instanceof RecordValue r && !r.fields().isEmpty()) {
      attrs.put("attributes", r);
    }
    return attrs;
  }

  /** A JSON value (as Jackson maps it) as a Cedar value, or null when Cedar has none for it. */
  static Value toValue(Object json, int depth) {
    if (depth > 16) {
      return null;
    }
    if (json instanceof String s) {
      return new StringValue(s);
    }
    if (json instanceof Boolean b) {
      return BoolValue.of(b);
    }
    if (json instanceof Integer || json instanceof Long || json instanceof Short) {
      return LongValue.of(((Number) json).longValue());
    }
    if (json instanceof java.math.BigInteger big && big.bitLength() < 64) {
      return LongValue.of(big.longValue());
    }
    if (json instanceof List<?> list) {
      List<Value> items = new ArrayList<>();
      for (Object o : list) {
        Value v = toValue(o, depth + 1);
        if (v != null) {
          items.add(v);
        }
      }
      return SetValue.of(items);
    }
    if (json instanceof Map<?, ?> map) {
      Map<String, Value> fields = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Value v = toValue(e.getValue(), depth + 1);
        if (v != null) {
          fields.put(String.valueOf(e.getKey()), v);
        }
      }
      return new RecordValue(fields);
    }
    return null;
  }

  static EntityUid uid(String namespace, String type, String id) {
    return EntityUid.of(namespace + "::" + type, id);
  }
}
