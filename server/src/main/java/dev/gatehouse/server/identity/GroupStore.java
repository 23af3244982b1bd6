package dev.gatehouse.server.identity;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Persistence of groups (with one optional parent each), memberships and user roles. */
public interface GroupStore {

  /** A group; {@code parent} names another group of the tenant or is null. */
  record Group(String tenantId, String name, String parent, String description, long createdAt) {}

  Optional<Group> find(String tenantId, String name);

  boolean insert(Group group);

  boolean delete(String tenantId, String name);

  List<Group> list(String tenantId);

  boolean addMember(String tenantId, String groupName, String userId);

  boolean removeMember(String tenantId, String groupName, String userId);

  /** The groups {@code userId} is a direct member of. */
  Set<String> groupsOf(String tenantId, String userId);

  Set<String> rolesOf(String tenantId, String userId);

  void setRoles(String tenantId, String userId, Set<String> roles);
}
