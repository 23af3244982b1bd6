package dev.gatehouse.server.policy;

/**
 * One immutable version of a tenant's policy store: schema, policy text (static policies and
 * templates) and template links, with who made it, when and why.
 *
 * @param schemaFormat {@code none}, {@code cedar} or {@code json}
 * @param links the template links as a JSON array of {@code {id, template, values}}
 * @param copiedFrom the version a rollback copied, or null
 */
public record PolicyVersion(
    String tenantId,
    long version,
    String schemaFormat,
    String schemaText,
    String policies,
    String links,
    String author,
    String message,
    Long copiedFrom,
    long createdAt) {

  /** The state of a tenant that never wrote a policy: no schema, no policies, version 0. */
  static PolicyVersion empty(String tenantId) {
    return new PolicyVersion(tenantId, 0, "none", "", "", "[]", "", "", null, 0);
  }
}
