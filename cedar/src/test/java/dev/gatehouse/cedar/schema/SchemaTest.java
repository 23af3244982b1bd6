package dev.gatehouse.cedar.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SchemaTest {

  @Test
  void parseCedarWhenNamespacedThenNamesAreQualified() {
    Schema s = Schema.parseCedar("""
        namespace App {
          entity User in [Group] = { name: String, manager?: User };
          entity Group;
          action view appliesTo { principal: [User], resource: Group, context: { ip: ipaddr } };
          action "edit" in [view] appliesTo { principal: User, resource: Group };
        }
        """);
    EntityTypeDef user = s.entityType("App::User");
    assertThat(user.memberOfTypes()).containsExactly("App::Group");
    assertThat(user.attributes().attributes().get("manager"))
        .isEqualTo(new SchemaType.Attribute(new SchemaType.Entity("App::User"), false));
    ActionDef edit = s.action(new ActionId("App::Action", "edit"));
    assertThat(edit.memberOf()).containsExactly(new ActionId("App::Action", "view"));
    assertThat(s.action(new ActionId("App::Action", "view")).context().attributes().get("ip").type())
        .isEqualTo(new SchemaType.Extension("ipaddr"));
    assertThat(s.descendantTypes("App::Group")).containsExactly("App::User");
    assertThat(s.actionAncestors(new ActionId("App::Action", "edit")))
        .containsExactly(new ActionId("App::Action", "view"));
  }

  @Test
  void parseCedarWhenCommonTypeThenInlinedAndPreferredOverEntity() {
    Schema s = Schema.parseCedar("""
        type Ctx = { a: Long };
        namespace N {
          type T = Set<__cedar::String>;
          entity T;
          entity E = { t: T, c: Ctx };
          action a appliesTo { principal: E, resource: E, context: Ctx };
        }
        """);
    var attrs = s.entityType("N::E").attributes().attributes();
    assertThat(attrs.get("t").type()).isEqualTo(new SchemaType.SetOf(SchemaType.STRING));
    assertThat(attrs.get("c").type()).isInstanceOf(SchemaType.Record.class);
    assertThat(s.action(new ActionId("N::Action", "a")).context().attributes()).containsKey("a");
  }

  @Test
  void parseCedarWhenEnumAndTagsThenKept() {
    Schema s = Schema.parseCedar("entity C enum [\"a\", \"b\"]; entity D tags Set<Long>;");
    assertThat(s.entityType("C").enumIds()).containsExactly("a", "b");
    assertThat(s.entityType("D").tags()).isEqualTo(new SchemaType.SetOf(SchemaType.LONG));
  }

  @Test
  void parseCedarWhenUndeclaredTypeThenErrorWithPosition() {
    assertThatThrownBy(() -> Schema.parseCedar("entity A = {\n  b: Nope };"))
        .isInstanceOf(SchemaException.class)
        .hasMessage("2:6: failed to resolve type `Nope`");
  }

  @Test
  void parseCedarWhenSyntaxErrorThenLineAndColumn() {
    assertThatThrownBy(() -> Schema.parseCedar("entity A\nentity B;"))
        .isInstanceOf(SchemaException.class)
        .hasMessage("2:1: expected `;`, found `entity`");
  }

  @Test
  void parseCedarWhenReservedIdentifierThenError() {
    assertThatThrownBy(() -> Schema.parseCedar("entity in;"))
        .isInstanceOf(SchemaException.class)
        .hasMessage("1:8: `in` is a reserved identifier");
  }

  @Test
  void parseCedarWhenReservedWordQuotedAsAttributeThenAccepted() {
    Schema s = Schema.parseCedar("entity A = { \"if\": Long }; @in(\"x\") entity B;");
    assertThat(s.entityType("A").attributes().attributes()).containsKey("if");
  }

  @Test
  void parseCedarWhenDuplicateAnnotationThenError() {
    assertThatThrownBy(() -> Schema.parseCedar("@a @a entity A;"))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("duplicate annotations: `a`");
  }

  @Test
  void parseCedarWhenRepeatedAttributeThenLastWins() {
    Schema s = Schema.parseCedar("entity E = { a: Long, a: String };");
    assertThat(s.entityType("E").attributes().attributes().get("a").type()).isEqualTo(SchemaType.STRING);
  }

  @Test
  void parseCedarWhenNamespacedTypeShadowsEmptyNamespaceThenError() {
    assertThatThrownBy(() -> Schema.parseCedar("entity X; namespace N { entity X; }"))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("definition of `N::X` illegally shadows the existing definition of `X`");
  }

  @Test
  void parseCedarWhenEntityTypeNamedActionThenError() {
    assertThatThrownBy(() -> Schema.parseCedar("entity Action;"))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("entity type `Action` declared");
  }

  @Test
  void parseCedarWhenEmptyAttributesBlockThenAccepted() {
    Schema s = Schema.parseCedar("entity E; action a appliesTo { principal: E, resource: E } attributes {};");
    assertThat(s.actions()).hasSize(1);
  }

  @Test
  void parseCedarWhenActionCycleThenError() {
    assertThatThrownBy(() -> Schema.parseCedar("action a in b; action b in a;"))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("cycle");
  }

  @Test
  void parseCedarWhenUndeclaredParentActionThenError() {
    assertThatThrownBy(() -> Schema.parseCedar("action a in [Action::\"zz\"];"))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("undeclared action `Action::\"zz\"`");
  }

  @Test
  void parseCedarWhenNoAppliesToThenAppliesToNothing() {
    Schema s = Schema.parseCedar("action a;");
    assertThat(s.action(new ActionId("Action", "a")).appliesToSomething()).isFalse();
  }

  @Test
  void parseJsonWhenEquivalentToCedarThenSameModel() {
    Schema json = Schema.parseJson("""
        {"N": {
          "commonTypes": {"T": {"type": "Record", "attributes": {"x": {"type": "Long", "required": false}}}},
          "entityTypes": {
            "U": {"memberOfTypes": ["G"], "shape": {"type": "Record", "attributes": {
                "t": {"type": "T"}, "g": {"type": "Entity", "name": "G"},
                "s": {"type": "Set", "element": {"type": "Extension", "name": "decimal"}}}}},
            "G": {}
          },
          "actions": {
            "a": {"appliesTo": {"principalTypes": ["U"], "resourceTypes": ["G"], "context": {"type": "T"}}},
            "b": {"memberOf": [{"id": "a"}]}
          }
        }}
        """);
    Schema cedar = Schema.parseCedar("""
        namespace N {
          type T = { x?: Long };
          entity U in [G] = { t: T, g: G, s: Set<decimal> };
          entity G;
          action a appliesTo { principal: [U], resource: [G], context: T };
          action b in [a];
        }
        """);
    assertThat(json.entityTypes()).isEqualTo(cedar.entityTypes());
    assertThat(json.actions()).isEqualTo(cedar.actions());
  }

  @Test
  void parseJsonWhenUndeclaredTypeThenErrorAtItsLine() {
    assertThatThrownBy(() -> Schema.parseJson("{\"\": {\"entityTypes\": {\n  \"A\": {\"memberOfTypes\": [\"B\"]}}}}"))
        .isInstanceOf(SchemaException.class)
        .hasMessage("2:27: undeclared entity type `B`");
  }

  @Test
  void parseJsonWhenUnknownFieldThenError() {
    assertThatThrownBy(() -> Schema.parseJson("{\"\": {\"entityTypes\": {}, \"bogus\": 1}}"))
        .isInstanceOf(SchemaException.class)
        .hasMessageContaining("unknown field `bogus`");
  }

  @Test
  void parseCedarWhenEveryConformanceSchemaThenParses() throws IOException {
    Path root = dev.gatehouse.cedar.conformance.ConformanceCorpus.root();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".cedarschema")).toList();
    }
    assertThat(files).isNotEmpty();
    for (Path p : files) {
      try {
        Schema.parseCedar(Files.readString(p));
      } catch (SchemaException e) {
        throw new AssertionError(p + ": " + e.getMessage(), e);
      }
    }
  }
}
