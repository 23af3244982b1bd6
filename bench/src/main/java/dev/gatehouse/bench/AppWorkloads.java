package dev.gatehouse.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Application-shaped workloads for decision benchmarks, after the three applications the Cedar
 * OOPSLA 2024 paper measures (workload (c) of docs/benchmarks.md): TinyTodo (task lists shared with users
 * and teams), GitHub (repositories with reader/triager/writer/maintainer/admin teams in an
 * organisation) and GDrive (documents in nested folders shared with users and groups, some
 * public). Seeded and deterministic, each with its entities, policies and requests.
 */
final class AppWorkloads {

  private AppWorkloads() {}

  /** A workload: policies (Cedar text), entities (Cedar JSON) and requests. */
  record Workload(String policies, String entitiesJson, List<String[]> requests) {}

  static Workload byName(String name) {
    return switch (name) {
      case "rbacAbac" -> {
        RbacAbacWorkload w = new RbacAbacWorkload();
        List<String[]> reqs = new ArrayList<>();
        for (String[] q : w.requests) {
          reqs.add(new String[] {"User", q[0], q[1], "Document", q[2]});
        }
        yield new Workload(w.policies, w.entitiesJson, reqs);
      }
      case "tinyTodo" -> tinyTodo();
      case "github" -> github();
      case "gdrive" -> gdrive();
      default -> throw new IllegalArgumentException(name);
    };
  }

  static Workload tinyTodo() {
    Random r = new Random(7);
    Entities e = new Entities();
    e.add("Application", "TinyTodo", "{}");
    int teams = 20;
    int users = 200;
    int lists = 300;
    for (int t = 0; t < teams; t++) {
      e.add("Team", "t" + t, "{}", t > 0 && t % 5 != 0 ? "Team::\"t" + (t - t % 5) + "\"" : null);
    }
    e.add("Team", "interns", "{}");
    for (int u = 0; u < users; u++) {
      e.add("User", "u" + u, "{\"joblevel\":" + r.nextInt(8) + ",\"location\":\"l"
          + r.nextInt(4) + "\"}", "Team::\"t" + r.nextInt(teams) + "\"",
          u % 25 == 0 ? "Team::\"interns\"" : null);
    }
    for (int l = 0; l < lists; l++) {
      e.add("List", "list" + l, "{\"owner\":" + ref("User", "u" + r.nextInt(users))
          + ",\"readers\":" + ref("Team", "t" + r.nextInt(teams))
          + ",\"editors\":" + ref("Team", "t" + r.nextInt(teams))
          + ",\"tasks\":[]}", "Application::\"TinyTodo\"");
    }
    String policies = """
        permit(principal, action in [Action::"CreateList", Action::"GetLists"],
          resource == Application::"TinyTodo");
        permit(principal, action == Action::"GetList", resource)
          when { principal == resource.owner || principal in resource.readers
                 || principal in resource.editors };
        permit(principal, action in [Action::"UpdateList", Action::"CreateTask",
            Action::"UpdateTask", Action::"DeleteTask"], resource)
          when { principal == resource.owner || principal in resource.editors };
        permit(principal, action in [Action::"DeleteList", Action::"EditShare"], resource)
          when { principal == resource.owner };
        forbid(principal in Team::"interns", action == Action::"CreateList",
          resource == Application::"TinyTodo");
        forbid(principal, action == Action::"DeleteList", resource)
          unless { principal.joblevel >= 2 };
        """;
    String[] actions = {"GetList", "UpdateList", "CreateTask", "UpdateTask", "DeleteTask",
        "DeleteList", "EditShare"};
    List<String[]> reqs = new ArrayList<>();
    for (int i = 0; i < 1024; i++) {
      String user = "u" + r.nextInt(users);
      if (i % 8 == 0) {
        reqs.add(new String[] {"User", user, "CreateList", "Application", "TinyTodo"});
      } else {
        reqs.add(new String[] {"User", user, actions[r.nextInt(actions.length)], "List",
            "list" + r.nextInt(lists)});
      }
    }
    return new Workload(policies, e.json(), reqs);
  }

  static Workload github() {
    Random r = new Random(11);
    Entities e = new Entities();
    int orgs = 4;
    int repos = 120;
    int users = 250;
    for (int o = 0; o < orgs; o++) {
      e.add("Org", "org" + o, "{}");
    }
    String[] roles = {"readers", "triagers", "writers", "maintainers", "admins"};
    for (int p = 0; p < repos; p++) {
      StringBuilder attrs = new StringBuilder("{\"private\":" + (p % 3 == 0) + ",\"owner\":"
          + ref("User", "u" + r.nextInt(users)));
      for (int k = 0; k < roles.length; k++) {
        // Each role's team is a member of the next weaker one: admins ⊂ maintainers ⊂ ... .
        String team = "repo" + p + "." + roles[k];
        e.add("Team", team, "{}", k > 0 ? "Team::\"repo" + p + "." + roles[k - 1] + "\"" : null);
        attrs.append(",\"").append(roles[k]).append("\":").append(ref("Team", team));
      }
      e.add("Repository", "repo" + p, attrs.append("}").toString(),
          "Org::\"org" + r.nextInt(orgs) + "\"");
    }
    for (int u = 0; u < users; u++) {
      List<String> parents = new ArrayList<>();
      parents.add("Org::\"org" + r.nextInt(orgs) + "\"");
      for (int j = 0; j < 3; j++) {
        parents.add("Team::\"repo" + r.nextInt(repos) + "." + roles[r.nextInt(roles.length)]
            + "\"");
      }
      e.add("User", "u" + u, "{}", parents.toArray(String[]::new));
    }
    String policies = """
        permit(principal, action == Action::"pull", resource)
          when { principal in resource.readers || !resource.private };
        permit(principal, action == Action::"fork", resource)
          when { principal in resource.readers };
        permit(principal, action in [Action::"assign_issue", Action::"close_issue"], resource)
          when { principal in resource.triagers };
        permit(principal, action == Action::"push", resource)
          when { principal in resource.writers };
        permit(principal, action in [Action::"add_reader", Action::"add_triager",
            Action::"add_writer"], resource)
          when { principal in resource.maintainers };
        permit(principal, action in [Action::"add_maintainer", Action::"add_admin",
            Action::"delete"], resource)
          when { principal in resource.admins || principal == resource.owner };
        forbid(principal, action == Action::"delete", resource)
          when { resource.private && !(principal in resource.admins) };
        """;
    String[] actions = {"pull", "fork", "push", "assign_issue", "close_issue", "add_reader",
        "add_writer", "add_admin", "delete"};
    List<String[]> reqs = new ArrayList<>();
    for (int i = 0; i < 1024; i++) {
      reqs.add(new String[] {"User", "u" + r.nextInt(users), actions[r.nextInt(actions.length)],
          "Repository", "repo" + r.nextInt(repos)});
    }
    return new Workload(policies, e.json(), reqs);
  }

  static Workload gdrive() {
    Random r = new Random(13);
    Entities e = new Entities();
    int groups = 30;
    int users = 300;
    int folders = 60;
    int documents = 500;
    for (int g = 0; g < groups; g++) {
      e.add("Group", "g" + g, "{}", g >= 5 ? "Group::\"g" + (g % 5) + "\"" : null);
    }
    for (int u = 0; u < users; u++) {
      e.add("User", "u" + u, "{}", "Group::\"g" + r.nextInt(groups) + "\"");
    }
    for (int f = 0; f < folders; f++) {
      // A tree: each folder below one of the earlier ones, so depth grows with the index.
      e.add("Folder", "f" + f, "{\"owner\":" + ref("User", "u" + r.nextInt(users)) + "}",
          f > 0 ? "Folder::\"f" + r.nextInt(f) + "\"" : null);
    }
    for (int d = 0; d < documents; d++) {
      e.add("Document", "d" + d, "{\"owner\":" + ref("User", "u" + r.nextInt(users))
          + ",\"public\":" + (d % 10 == 0)
          + ",\"viewers\":[" + ref("User", "u" + r.nextInt(users)) + ","
          + ref("Group", "g" + r.nextInt(groups)) + "]"
          + ",\"editors\":[" + ref("Group", "g" + r.nextInt(groups)) + "]}",
          "Folder::\"f" + r.nextInt(folders) + "\"");
    }
    StringBuilder p = new StringBuilder("""
        permit(principal, action, resource) when { resource.owner == principal };
        permit(principal, action == Action::"view", resource is Document)
          when { resource.public };
        permit(principal, action == Action::"view", resource is Document)
          when { resource.viewers.contains(principal) };
        """);
    for (int g = 0; g < groups; g++) {
      p.append("permit(principal in Group::\"g").append(g)
          .append("\", action == Action::\"view\", resource is Document) when {"
              + " resource.viewers.contains(Group::\"g").append(g).append("\") };\n");
      p.append("permit(principal in Group::\"g").append(g)
          .append("\", action in [Action::\"view\", Action::\"edit\"], resource is Document)"
              + " when { resource.editors.contains(Group::\"g").append(g).append("\") };\n");
    }
    for (int f = 0; f < 10; f++) {
      p.append("permit(principal in Group::\"g").append(r.nextInt(5))
          .append("\", action == Action::\"view\", resource in Folder::\"f").append(f)
          .append("\");\n");
    }
    String[] actions = {"view", "view", "view", "edit", "delete"};
    List<String[]> reqs = new ArrayList<>();
    for (int i = 0; i < 1024; i++) {
      reqs.add(new String[] {"User", "u" + r.nextInt(users), actions[r.nextInt(actions.length)],
          "Document", "d" + r.nextInt(documents)});
    }
    return new Workload(p.toString(), e.json(), reqs);
  }

  private static String ref(String type, String id) {
    return "{\"__entity\":{\"type\":\"" + type + "\",\"id\":\"" + id + "\"}}";
  }

  /** Builds an entities JSON array; parents are written {@code Type::"id"} (null ones skipped). */
  private static final class Entities {
    private final StringBuilder out = new StringBuilder("[");

    void add(String type, String id, String attrs, String... parents) {
      out.append(out.length() > 1 ? "," : "").append("{\"uid\":{\"type\":\"").append(type)
          .append("\",\"id\":\"").append(id).append("\"},\"attrs\":").append(attrs)
          .append(",\"parents\":[");
      boolean first = true;
      for (String p : parents) {
        if (p == null) {
          continue;
        }
        int sep = p.indexOf("::");
        out.append(first ? "" : ",").append("{\"type\":\"").append(p, 0, sep)
            .append("\",\"id\":").append(p.substring(sep + 2)).append("}");
        first = false;
      }
      out.append("]}");
    }

    String json() {
      return out + "]";
    }
  }
}
