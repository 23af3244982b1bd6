package dev.gatehouse.server.policy;

/** The schema, policies and entities the policy tests share: a small document system. */
public final class PolicyDecisionsContractFixtures {

  private PolicyDecisionsContractFixtures() {}

  public static final String SCHEMA = """
      namespace Gatehouse {
        entity Client { name: String, scopes: Set<String> };
      }
      entity Group;
      entity User in [Group] { department: String };
      entity Document { owner: User, public: Bool };
      type Ctx = { token?: { sub: String, client_id: String, scopes: Set<String> } };
      action view, edit appliesTo {
        principal: [User, Gatehouse::Client],
        resource: Document,
        context: Ctx
      };
      """;

  public static final String POLICIES = """
      @id("owners-edit")
      @reason("owners may edit their documents")
      permit(principal, action == Action::"edit", resource) when { resource.owner == principal };

      @id("public-view")
      permit(principal, action == Action::"view", resource) when { resource.public };

      @id("engineering-view")
      permit(principal in Group::"engineering", action == Action::"view", resource);

      @id("readers")
      permit(principal is Gatehouse::Client, action == Action::"view", resource)
      when { context has token && context.token.scopes.contains("docs.read") };
      """;

  public static final String ENTITIES = """
      [
        {"uid": {"type": "Group", "id": "engineering"}, "attrs": {}, "parents": []},
        {"uid": {"type": "User", "id": "alice"}, "attrs": {"department": "eng"},
         "parents": [{"type": "Group", "id": "engineering"}]},
        {"uid": {"type": "User", "id": "bob"}, "attrs": {"department": "sales"}, "parents": []},
        {"uid": {"type": "Document", "id": "d1"},
         "attrs": {"owner": {"__entity": {"type": "User", "id": "alice"}}, "public": false}},
        {"uid": {"type": "Document", "id": "d2"},
         "attrs": {"owner": {"__entity": {"type": "User", "id": "bob"}}, "public": true}}
      ]
      """;

}
