package dev.gatehouse.server.identity;

import dev.gatehouse.server.crypto.Secrets;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Users, groups and roles of a tenant, and password verification.
 *
 * <p>Passwords are checked against the tenant's {@link PasswordPolicy} when set, hashed with
 * Argon2id, and imported hashes are replaced by Argon2id ones at the first successful login.
 * Verification costs the same whether or not the user exists or is disabled.
 */
public final class UserService {

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}\\.[^@\\s]+");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private final UserStore users;
  private final GroupStore groups;
  private final PasswordPolicyStore policies;
  private final PasswordHasher hasher;
  private final Clock clock;
  private final dev.gatehouse.server.cache.ChangeListeners changes =
      new dev.gatehouse.server.cache.ChangeListeners();
  private volatile AccessRevocation revocation = (tenantId, userId, reason) -> { };
  private final List<UserOwnedRows> owned = new java.util.concurrent.CopyOnWriteArrayList<>();

  public UserService(UserStore users, GroupStore groups, PasswordPolicyStore policies,
      PasswordHasher hasher, Clock clock) {
    this.users = users;
    this.groups = groups;
    this.policies = policies;
    this.hasher = hasher;
    this.clock = clock;
  }

  /**
   * Calls {@code listener} with the tenant id after a user, group, membership or role of it
   * changes through this node (what policy entities are projected from).
   */
  public void onChange(java.util.function.Consumer<String> listener) {
    changes.add(listener);
  }

  /**
   * Sets what ends a user's sessions and tokens when the user is disabled, deleted or given a new
   * password by an administrator.
   */
  public void endAccessWith(AccessRevocation revocation) {
    this.revocation = revocation;
  }

  /** Adds rows that are deleted with a user ({@link #delete}), in its transaction. */
  public void deleteWith(UserOwnedRows rows) {
    owned.add(rows);
  }

  /** Every direct membership of the tenant: user id → group names. */
  public Map<String, Set<String>> memberships(String tenantId) {
    return groups.memberships(tenantId);
  }

  /** Every role assignment of the tenant: user id → roles. */
  public Map<String, Set<String>> roleAssignments(String tenantId) {
    return groups.roles(tenantId);
  }

  public User create(String tenantId, NewUser n) {
    return create(tenantId, n, null);
  }

  /**
   * Creates a user; {@code chosenId}, when given, replaces the generated id (the {@code sub} of
   * its tokens), so that an installation moved elsewhere keeps its users' identifiers.
   */
  public User create(String tenantId, NewUser n, String chosenId) {
    if (chosenId != null) {
      if (chosenId.isEmpty() || chosenId.length() > 64 || !chosenId.matches("[A-Za-z0-9._~-]+")) {
        throw IdentityException.invalid("id must be 1 to 64 characters of letters, digits and"
            + " . _ ~ -");
      }
      if (users.find(tenantId, chosenId).isPresent()) {
        throw IdentityException.conflict("user id `" + chosenId + "` is taken");
      }
    }
    String username = validUsername(n.username());
    String email = validEmail(n.email());
    String hash = null;
    if (n.password() != null && n.passwordHash() != null) {
      throw IdentityException.invalid("give either password or password_hash, not both");
    }
    if (n.password() != null) {
      hash = hashNew(tenantId, n.password(), username, email);
    } else if (n.passwordHash() != null) {
      if (!PasswordHasher.isSupportedHash(n.passwordHash())) {
        throw IdentityException.invalid("password_hash must be Argon2id, bcrypt or PBKDF2-SHA256"
            + " in PHC (or Django) format");
      }
      hash = n.passwordHash();
    }
    long now = clock.instant().getEpochSecond();
    User user = new User(tenantId, chosenId == null ? Secrets.id() : chosenId, username, email,
        Boolean.TRUE.equals(n.emailVerified()), validDisplayName(n.displayName()), hash, false,
        n.attributes() == null ? Map.of() : Map.copyOf(n.attributes()),
        StandardClaims.validate(n.claims()), now, now);
    if (!users.insert(user)) {
      throw IdentityException.conflict("username `" + username + "` is taken");
    }
    changes.fire(tenantId);
    return user;
  }

  public Optional<User> find(String tenantId, String userId) {
    return users.find(tenantId, userId);
  }

  public Optional<User> findByUsername(String tenantId, String username) {
    return users.findByUsername(tenantId, username);
  }

  public List<User> list(String tenantId, String query, String after, int limit) {
    return users.list(tenantId, query, after, limit);
  }

  /** Applies the fields present in {@code changes} (username, email, ..., disabled). */
  public User update(String tenantId, String userId, Map<String, Object> changes) {
    User u = users.findForUpdate(tenantId, userId).orElseThrow(() -> IdentityException.invalid(
        "no user `" + userId + "`"));
    String username = changes.containsKey("username")
        ? validUsername((String) changes.get("username")) : u.username();
    String email = changes.containsKey("email") ? validEmail((String) changes.get("email"))
        : u.email();
    boolean verified = changes.containsKey("email_verified")
        ? Boolean.TRUE.equals(changes.get("email_verified"))
        : u.emailVerified() && java.util.Objects.equals(email, u.email());
    String displayName = changes.containsKey("display_name")
        ? validDisplayName((String) changes.get("display_name")) : u.displayName();
    boolean disabled = changes.containsKey("disabled")
        ? Boolean.TRUE.equals(changes.get("disabled")) : u.disabled();
    @SuppressWarnings("unchecked")
    Map<String, Object> attributes = changes.containsKey("attributes")
        ? Map.copyOf((Map<String, Object>) changes.get("attributes")) : u.attributes();
    @SuppressWarnings("unchecked")
    Map<String, Object> claims = changes.containsKey("claims")
        ? StandardClaims.validate((Map<String, Object>) changes.get("claims"))
        : u.claims();
    User updated = new User(tenantId, userId, username, email, verified, displayName,
        u.passwordHash(), disabled, attributes, claims, u.createdAt(),
        clock.instant().getEpochSecond());
    if (!users.update(updated)) {
      throw IdentityException.conflict("username `" + username + "` is taken");
    }
    if (disabled && !u.disabled()) {
      revocation.revokeAll(tenantId, userId, AccessRevocation.Reason.DISABLED);
    }
    this.changes.fire(tenantId);
    return updated;
  }

  /**
   * Deletes a user after ending their sessions and tokens and deleting the rows others keep about
   * them ({@link #deleteWith}), all in the caller's transaction.
   */
  public boolean delete(String tenantId, String userId) {
    if (users.find(tenantId, userId).isPresent()) {
      revocation.revokeAll(tenantId, userId, AccessRevocation.Reason.DELETED);
      for (UserOwnedRows rows : owned) {
        rows.deleteAll(tenantId, userId);
      }
    }
    return fired(tenantId, users.delete(tenantId, userId));
  }

  private boolean fired(String tenantId, boolean changed) {
    if (changed) {
      changes.fire(tenantId);
    }
    return changed;
  }

  public void setPassword(String tenantId, String userId, String password) {
    User u = users.findForUpdate(tenantId, userId).orElseThrow(() -> IdentityException.invalid(
        "no user `" + userId + "`"));
    String hash = hashNew(tenantId, password, u.username(), u.email());
    users.setPasswordHash(tenantId, userId, hash, clock.instant().getEpochSecond());
  }

  /**
   * An administrator's password reset: the new password, and the end of every session and token
   * obtained with the old one (whoever knew it is signed out).
   */
  public void resetPassword(String tenantId, String userId, String password) {
    setPassword(tenantId, userId, password);
    revocation.revokeAll(tenantId, userId, AccessRevocation.Reason.PASSWORD_RESET);
  }

  /**
   * An administrator removed the user's second factors (a lost device, a suspected compromise):
   * every session and token obtained with them ends too, as after a password reset. Called in the
   * transaction of the removal.
   */
  public void factorsReset(String tenantId, String userId) {
    revocation.revokeAll(tenantId, userId, AccessRevocation.Reason.FACTORS_RESET);
  }

  /**
   * The active user with this username and password, if any. An imported or outdated hash that
   * verifies is replaced by a current Argon2id hash.
   */
  public Optional<User> authenticate(String tenantId, String username, String password) {
    if (username == null || password == null || password.length() > PasswordPolicy.MAX_LENGTH
        || username.length() > 254) {
      hasher.verify("", null);
      return Optional.empty();
    }
    Optional<User> user = users.findByUsername(tenantId, username);
    PasswordHasher.Verification v = hasher.verify(password,
        user.map(User::passwordHash).orElse(null));
    if (user.isEmpty() || !v.matches() || user.get().disabled()) {
      return Optional.empty();
    }
    User u = user.get();
    if (v.needsRehash()) {
      long now = clock.instant().getEpochSecond();
      String current = hasher.hash(password);
      if (!users.rehash(tenantId, u.id(), u.passwordHash(), current, now)) {
        // Reset or disabled while the password was checked: the old password no longer signs in.
        return Optional.empty();
      }
      u = u.withPasswordHash(current, now);
    }
    return Optional.of(u);
  }

  /**
   * Whether a sign-in checked against {@code verifiedHash} may still start a session: the user
   * exists, is not disabled, and has that password hash still. Run in the transaction that
   * creates the session; the user's row stays locked until it commits, so a password reset or a
   * disable is either seen here or made after the session exists (and then ends it).
   */
  public boolean stillSignsIn(String tenantId, String userId, String verifiedHash) {
    return users.findForUpdate(tenantId, userId)
        .filter(u -> !u.disabled() && java.util.Objects.equals(u.passwordHash(), verifiedHash))
        .isPresent();
  }

  public PasswordPolicy passwordPolicy(String tenantId) {
    return policies.find(tenantId);
  }

  public void setPasswordPolicy(String tenantId, PasswordPolicy policy) {
    policies.put(tenantId, policy);
  }

  // Groups and roles.

  public GroupStore.Group createGroup(String tenantId, String name, String parent,
      String description) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw IdentityException.invalid("group name must be 1 to 128 letters, digits, `.`, `_`,"
          + " `:` or `-`");
    }
    if (parent != null && groups.find(tenantId, parent).isEmpty()) {
      throw IdentityException.invalid("parent group `" + parent + "` does not exist");
    }
    GroupStore.Group g = new GroupStore.Group(tenantId, name, parent, description,
        clock.instant().getEpochSecond());
    if (!groups.insert(g)) {
      throw IdentityException.conflict("group `" + name + "` exists");
    }
    changes.fire(tenantId);
    return g;
  }

  public List<GroupStore.Group> groups(String tenantId) {
    return groups.list(tenantId);
  }

  public boolean deleteGroup(String tenantId, String name) {
    return fired(tenantId, groups.delete(tenantId, name));
  }

  public void addToGroup(String tenantId, String groupName, String userId) {
    requireGroup(tenantId, groupName);
    users.find(tenantId, userId).orElseThrow(() -> IdentityException.invalid(
        "no user `" + userId + "`"));
    fired(tenantId, groups.addMember(tenantId, groupName, userId));
  }

  public boolean removeFromGroup(String tenantId, String groupName, String userId) {
    return fired(tenantId, groups.removeMember(tenantId, groupName, userId));
  }

  /** The user's groups, direct and inherited through parents. */
  public Set<String> groupsOf(String tenantId, String userId) {
    Map<String, String> parents = new HashMap<>();
    for (GroupStore.Group g : groups.list(tenantId)) {
      parents.put(g.name(), g.parent());
    }
    Set<String> all = new LinkedHashSet<>();
    for (String g : groups.groupsOf(tenantId, userId)) {
      Set<String> seen = new HashSet<>();
      for (String cur = g; cur != null && seen.add(cur); cur = parents.get(cur)) {
        all.add(cur);
      }
    }
    return all;
  }

  public Set<String> rolesOf(String tenantId, String userId) {
    return groups.rolesOf(tenantId, userId);
  }

  public void setRoles(String tenantId, String userId, Set<String> roles) {
    users.find(tenantId, userId).orElseThrow(() -> IdentityException.invalid(
        "no user `" + userId + "`"));
    for (String r : roles) {
      if (!NAME.matcher(r).matches()) {
        throw IdentityException.invalid("role `" + r + "` must be 1 to 128 letters, digits, `.`,"
            + " `_`, `:` or `-`");
      }
    }
    groups.setRoles(tenantId, userId, roles);
    changes.fire(tenantId);
  }

  private void requireGroup(String tenantId, String name) {
    groups.find(tenantId, name).orElseThrow(() -> IdentityException.invalid(
        "no group `" + name + "`"));
  }

  private String hashNew(String tenantId, String password, String username, String email) {
    String problem = policies.find(tenantId).problem(password, username, email);
    if (problem != null) {
      throw IdentityException.invalid(problem);
    }
    return hasher.hash(password);
  }

  private static String validUsername(String username) {
    if (username == null || username.isBlank() || username.length() > 254
        || !username.equals(username.strip()) || username.chars().anyMatch(c -> c < 0x20)) {
      throw IdentityException.invalid("username must be 1 to 254 characters, without control"
          + " characters or surrounding spaces");
    }
    return username;
  }

  private static String validEmail(String email) {
    if (email == null || email.isEmpty()) {
      return null;
    }
    if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
      throw IdentityException.invalid("email `" + email.replaceAll("[^\\x20-\\x7e]", "?")
          + "` is not an email address");
    }
    return email;
  }

  private static String validDisplayName(String name) {
    if (name == null) {
      return null;
    }
    if (name.length() > 200 || name.chars().anyMatch(c -> c < 0x20)) {
      throw IdentityException.invalid("display_name must be at most 200 characters");
    }
    return name;
  }
}
