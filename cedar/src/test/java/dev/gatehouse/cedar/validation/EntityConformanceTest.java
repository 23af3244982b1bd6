package dev.gatehouse.cedar.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.cedar.CedarException;
import dev.gatehouse.cedar.Entity;
import dev.gatehouse.cedar.ast.EntityUid;
import dev.gatehouse.cedar.json.EntitiesJson;
import dev.gatehouse.cedar.schema.Schema;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntityConformanceTest {
  private static final Schema SCHEMA = Schema.parseCedar("""
      entity Group;
      entity User in [Group] = { boss?: User, ip: ipaddr, n: Long };
      action read; action write in [read]; action admin in [write];
      """);

  private static List<Entity> parse(String json) {
    return EntitiesJson.parseList(json, new SchemaJsonTypes(SCHEMA));
  }

  @Test
  void parseWhenImplicitEntityAndExtensionFormsThenAcceptedAndConform() {
    List<Entity> es = parse("""
        [{"uid": {"type": "User", "id": "a"}, "parents": [{"type": "Group", "id": "g"}],
          "attrs": {"boss": {"type": "User", "id": "b"}, "ip": "10.0.0.1", "n": 3}}]
        """);
    assertThatCode(() -> EntityConformance.check(SCHEMA, es)).doesNotThrowAnyException();
  }

  @Test
  void checkWhenAttributeHasWrongTypeThenError() {
    List<Entity> es = parse("""
        [{"uid": {"type": "User", "id": "a"}, "parents": [], "attrs": {"ip": "10.0.0.1", "n": "3"}}]
        """);
    assertThatThrownBy(() -> EntityConformance.check(SCHEMA, es)).isInstanceOf(CedarException.class)
        .hasMessageContaining("`n`");
  }

  @Test
  void checkWhenParentTypeNotAllowedThenError() {
    List<Entity> es = parse("""
        [{"uid": {"type": "Group", "id": "g"}, "parents": [{"type": "User", "id": "u"}], "attrs": {}}]
        """);
    assertThatThrownBy(() -> EntityConformance.check(SCHEMA, es)).isInstanceOf(CedarException.class)
        .hasMessageContaining("ancestor of type `User`");
  }

  @Test
  void actionEntitiesWhenGroupsNestedThenParentsAreTransitive() {
    Entity admin = EntityConformance.actionEntities(SCHEMA).stream()
        .filter(e -> e.uid().id().equals("admin")).findFirst().orElseThrow();
    assertThat(admin.parents()).containsExactlyInAnyOrder(EntityUid.of("Action", "write"), EntityUid.of("Action", "read"));
  }

  @Test
  void checkWhenActionEntityMatchesSchemaThenAccepted() {
    List<Entity> es = parse("""
        [{"uid": {"type": "Action", "id": "admin"}, "parents": [{"type": "Action", "id": "write"}], "attrs": {}},
         {"uid": {"type": "Action", "id": "write"}, "parents": [{"type": "Action", "id": "read"}], "attrs": {}}]
        """);
    assertThatCode(() -> EntityConformance.check(SCHEMA, es)).doesNotThrowAnyException();
  }

  @Test
  void checkWhenActionEntityParentsDifferFromSchemaThenError() {
    List<Entity> es = parse("""
        [{"uid": {"type": "Action", "id": "read"}, "parents": [{"type": "Action", "id": "write"}], "attrs": {}}]
        """);
    assertThatThrownBy(() -> EntityConformance.check(SCHEMA, es)).isInstanceOf(CedarException.class)
        .hasMessageContaining("does not match its schema declaration");
  }

  @Test
  void checkWhenActionEntityHasNonActionParentThenError() {
    List<Entity> es = parse("""
        [{"uid": {"type": "Action", "id": "read"}, "parents": [{"type": "Group", "id": "g"}], "attrs": {}}]
        """);
    assertThatThrownBy(() -> EntityConformance.check(SCHEMA, es)).isInstanceOf(CedarException.class)
        .hasMessageContaining("non-action parent");
  }
}
