package dev.gatehouse.server.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PolicyStore} in memory, for service tests without a database. */
public final class InMemoryPolicyStore implements PolicyStore {

  final Map<String, TreeMap<Long, PolicyVersion>> versions = new ConcurrentHashMap<>();
  final Map<String, TreeMap<String, String>> entities = new ConcurrentHashMap<>();
  final Map<String, Long> entityVersions = new ConcurrentHashMap<>();
  int latestVersionQueries;

  private TreeMap<Long, PolicyVersion> of(String t) {
    return versions.computeIfAbsent(t, k -> new TreeMap<>());
  }

  @Override
  public synchronized Optional<PolicyVersion> latest(String tenantId) {
    TreeMap<Long, PolicyVersion> m = of(tenantId);
    return m.isEmpty() ? Optional.empty() : Optional.of(m.lastEntry().getValue());
  }

  @Override
  public synchronized long latestVersion(String tenantId) {
    latestVersionQueries++;
    TreeMap<Long, PolicyVersion> m = of(tenantId);
    return m.isEmpty() ? 0 : m.lastKey();
  }

  @Override
  public synchronized Optional<PolicyVersion> find(String tenantId, long version) {
    return Optional.ofNullable(of(tenantId).get(version));
  }

  @Override
  public synchronized List<PolicyVersion> history(String tenantId, long before, int limit) {
    List<PolicyVersion> out = new ArrayList<>(of(tenantId).values());
    out.sort(Comparator.comparingLong(PolicyVersion::version).reversed());
    return out.stream().filter(v -> before <= 0 || v.version() < before).limit(limit).toList();
  }

  @Override
  public synchronized boolean insert(PolicyVersion v) {
    return of(v.tenantId()).putIfAbsent(v.version(), v) == null;
  }

  @Override
  public synchronized long entityVersion(String tenantId) {
    return entityVersions.getOrDefault(tenantId, 0L);
  }

  @Override
  public synchronized StoredEntities entities(String tenantId) {
    return new StoredEntities(entityVersion(tenantId), List.copyOf(
        entities.computeIfAbsent(tenantId, k -> new TreeMap<>()).values()));
  }

  @Override
  public synchronized long changeEntities(String tenantId, Collection<StoredEntity> upserts,
      Collection<String> deletes, long now) {
    TreeMap<String, String> m = entities.computeIfAbsent(tenantId, k -> new TreeMap<>());
    deletes.forEach(m::remove);
    upserts.forEach(e -> m.put(e.uid(), e.body()));
    return bumpEntityVersion(tenantId);
  }

  @Override
  public synchronized long bumpEntityVersion(String tenantId) {
    return entityVersions.merge(tenantId, 1L, Long::sum);
  }

  @Override
  public synchronized List<StoredEntity> listEntities(String tenantId, String after, int limit) {
    return entities.computeIfAbsent(tenantId, k -> new TreeMap<>())
        .tailMap(after == null ? "" : after, false).entrySet().stream().limit(limit)
        .map(e -> new StoredEntity(e.getKey(), e.getValue())).toList();
  }

  @Override
  public synchronized int countEntities(String tenantId) {
    return entities.computeIfAbsent(tenantId, k -> new TreeMap<>()).size();
  }
}
