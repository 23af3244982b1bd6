package dev.gatehouse.server.policy;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Persistence of policy versions and application entities; every call names the tenant. */
public interface PolicyStore {

  /** The highest (active) version of a tenant, if it has any. */
  Optional<PolicyVersion> latest(String tenantId);

  /** The number of the active version, 0 when there is none: a cheap staleness check. */
  long latestVersion(String tenantId);

  Optional<PolicyVersion> find(String tenantId, long version);

  /** Summaries (texts left empty), newest first, below {@code beforeVersion} (0: from the top). */
  List<PolicyVersion> history(String tenantId, long beforeVersion, int limit);

  /**
   * Inserts {@code v} if its version is the next one: false when another writer got there first.
   */
  boolean insert(PolicyVersion v);

  /** The current entity version of a tenant (0 before any change). */
  long entityVersion(String tenantId);

  /** All stored entity bodies (Cedar entities JSON objects) with the version they belong to. */
  StoredEntities entities(String tenantId);

  /** Upserts and deletes entities and bumps the entity version, in one transaction. */
  long changeEntities(String tenantId, Collection<StoredEntity> upserts, Collection<String> deletes,
      long now);

  /** Bumps the entity version (a projected source changed); returns the new one. */
  long bumpEntityVersion(String tenantId);

  /** A page of stored entities ordered by uid, after {@code afterUid}. */
  List<StoredEntity> listEntities(String tenantId, String afterUid, int limit);

  int countEntities(String tenantId);

  /** One stored entity: its uid as Cedar prints it and its JSON. */
  record StoredEntity(String uid, String body) {}

  /** A tenant's stored entities at one entity version. */
  record StoredEntities(long version, List<String> bodies) {}
}
