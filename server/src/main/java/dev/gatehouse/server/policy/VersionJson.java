package dev.gatehouse.server.policy;

import dev.gatehouse.server.events.AuditLog;
import java.util.LinkedHashMap;
import java.util.Map;

/** A policy version as the admin API shows it, and as its audit events name it. */
final class VersionJson {

  private VersionJson() {}

  /** The audit event details of a write that made version {@code v}. */
  static Map<String, Object> event(PolicyVersion v) {
    Map<String, Object> m = AuditLog.target("policies");
    m.put("version", v.version());
    return m;
  }

  /** Its metadata; with {@code full}, its schema, policies and links too. */
  static Map<String, Object> of(PolicyVersion v, boolean full) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", v.version());
    m.put("author", v.author());
    m.put("message", v.message());
    m.put("created_at", v.createdAt());
    if (v.copiedFrom() != null) {
      m.put("copied_from", v.copiedFrom());
    }
    m.put("schema_format", v.schemaFormat());
    if (full) {
      m.put("schema", v.schemaText());
      m.put("policies", v.policies());
      m.put("links", TemplateLink.read(v.links()).stream().map(TemplateLink::toJson).toList());
    }
    return m;
  }
}
