package dev.gatehouse.server.policy;

import dev.gatehouse.server.adminapi.AdminAuth;
import dev.gatehouse.server.events.AuditLog;
import dev.gatehouse.server.oauth.AccessTokenService;
import dev.gatehouse.server.tenant.TenantService;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/**
 * The admin API of policies and entities under {@code /admin/v1/tenants/{tenant}}: the routing of
 * its four resource groups — the policy set ({@link PolicySetAdminHttp}: policies, validation,
 * schema, template links), its versions ({@link PolicyVersionAdminHttp}: list, show, diff, roll
 * back), entities ({@link EntityAdminHttp}) and decisions for testing ({@link DecisionAdminHttp}).
 * Every call passes {@link AdminCall#guard} first. Problems are {@code application/problem+json};
 * a refused write adds an {@code errors} array of {@code {policy, message, line, column}}.
 * Documented in docs/admin-api.md.
 */
public final class PolicyAdminHttp implements HttpService {

  private static final String T = "/admin/v1/tenants/{tenant}";
  /**
   * The body limit of this API: 512 KiB of policy or schema text may take six bytes a character
   * once JSON-escaped ({@code \u0000}), so a text the policy store accepts always fits.
   */
  public static final int MAX_BODY = 4 * 1024 * 1024;

  private final AdminAuth auth;
  private final TenantService tenants;
  private final PolicySetAdminHttp policySet;
  private final PolicyVersionAdminHttp versions;
  private final EntityAdminHttp entityAdmin;
  private final DecisionAdminHttp decisionAdmin;

  public PolicyAdminHttp(AdminAuth auth, TenantService tenants, PolicyService policies,
      EntityService entities, DecisionService decisions, AccessTokenService tokens, int maxBody,
      AuditLog audit) {
    this.auth = auth;
    this.tenants = tenants;
    AdminRequests requests = new AdminRequests(maxBody);
    this.policySet = new PolicySetAdminHttp(policies, audit, requests);
    this.versions = new PolicyVersionAdminHttp(policies, audit, requests);
    this.entityAdmin = new EntityAdminHttp(entities, audit, requests);
    this.decisionAdmin = new DecisionAdminHttp(entities, decisions, tokens, requests);
  }

  @Override
  public void routing(HttpRules rules) {
    rules.get(T + "/policies", guarded(policySet::getPolicies))
        .put(T + "/policies", guarded(policySet::putPolicies))
        .post(T + "/policies/validate", guarded(policySet::validate))
        .get(T + "/policies/schema", guarded(policySet::getSchema))
        .put(T + "/policies/schema", guarded(policySet::putSchema))
        .get(T + "/policies/links", guarded(policySet::getLinks))
        .put(T + "/policies/links/{link}", guarded(policySet::putLink))
        .delete(T + "/policies/links/{link}", guarded(policySet::deleteLink))
        .get(T + "/policies/versions", guarded(versions::history))
        .get(T + "/policies/versions/{version}", guarded(versions::getVersion))
        .get(T + "/policies/diff", guarded(versions::diff))
        .post(T + "/policies/rollback", guarded(versions::rollback))
        .post(T + "/authorize", guarded(decisionAdmin::authorize))
        .post(T + "/authorize/batch", guarded(decisionAdmin::authorizeBatch))
        .get(T + "/entities", guarded(entityAdmin::listEntities))
        .post(T + "/entities", guarded(entityAdmin::upsertEntities))
        .post(T + "/entities/bulk", guarded(entityAdmin::bulkEntities))
        .post(T + "/entities/delete", guarded(entityAdmin::deleteEntities));
  }

  private Handler guarded(AdminCall.Endpoint endpoint) {
    return AdminCall.guard(auth, tenants, endpoint);
  }
}
