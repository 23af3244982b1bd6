package dev.gatehouse.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A document-sharing application for decision benchmarks (workload (a) of docs/benchmarks.md): 100
 * RBAC/ABAC policies over 1,000 entities — users in a group hierarchy of depth 3, documents in
 * folders with owners, levels and classifications — and a fixed, seeded list of requests.
 * Deterministic, so that every run and both engines see the same inputs.
 */
final class RbacAbacWorkload {

  static final int TOP_GROUPS = 4;
  static final int MID_PER_TOP = 3;
  static final int LEAF_PER_MID = 3;
  static final int FOLDERS = 20;
  static final int USERS = 600;
  static final int DOCUMENTS = 1000 - USERS - FOLDERS
      - TOP_GROUPS * (1 + MID_PER_TOP * (1 + LEAF_PER_MID));
  static final String[] ACTIONS = {"view", "comment", "edit", "delete", "share"};

  final String policies;
  final String entitiesJson;
  /** Requests as {principal id, action, document id}. */
  final List<String[]> requests = new ArrayList<>();

  RbacAbacWorkload() {
    Random r = new Random(42);
    List<String> leaves = new ArrayList<>();
    StringBuilder e = new StringBuilder("[");
    for (int t = 0; t < TOP_GROUPS; t++) {
      String top = "g" + t;
      entity(e, "Group", top, "{}", List.of());
      for (int m = 0; m < MID_PER_TOP; m++) {
        String mid = top + "." + m;
        entity(e, "Group", mid, "{}", List.of("Group::\"" + top + "\""));
        for (int l = 0; l < LEAF_PER_MID; l++) {
          String leaf = mid + "." + l;
          entity(e, "Group", leaf, "{}", List.of("Group::\"" + mid + "\""));
          leaves.add(leaf);
        }
      }
    }
    for (int f = 0; f < FOLDERS; f++) {
      entity(e, "Folder", "f" + f, "{\"public\":" + (f % 5 == 0) + "}", List.of());
    }
    for (int u = 0; u < USERS; u++) {
      String leaf = leaves.get(r.nextInt(leaves.size()));
      String attrs = "{\"level\":" + r.nextInt(5) + ",\"department\":\"d" + r.nextInt(8)
          + "\",\"active\":" + (r.nextInt(20) != 0) + "}";
      entity(e, "User", "u" + u, attrs, List.of("Group::\"" + leaf + "\""));
    }
    for (int d = 0; d < DOCUMENTS; d++) {
      String attrs = "{\"owner\":{\"__entity\":{\"type\":\"User\",\"id\":\"u" + r.nextInt(USERS)
          + "\"}},\"classification\":" + r.nextInt(5) + ",\"department\":\"d" + r.nextInt(8)
          + "\",\"tags\":[\"t" + r.nextInt(10) + "\",\"t" + r.nextInt(10) + "\"]}";
      entity(e, "Document", "doc" + d, attrs, List.of("Folder::\"f" + r.nextInt(FOLDERS) + "\""));
    }
    e.setLength(e.length() - 1);
    this.entitiesJson = e.append("]").toString();

    StringBuilder p = new StringBuilder();
    int n = 0;
    // Owners may do anything to their documents; inactive users nothing (forbid).
    p.append("permit(principal, action, resource is Document) when { resource.owner == principal };\n");
    p.append("forbid(principal is User, action, resource) unless { principal.active };\n");
    p.append("permit(principal, action == Action::\"view\", resource in Folder::\"f0\");\n");
    n += 3;
    // RBAC: groups at every level of the hierarchy get actions on folders.
    while (n < 70) {
      String group = "g" + r.nextInt(TOP_GROUPS) + (r.nextBoolean() ? "." + r.nextInt(MID_PER_TOP)
          + (r.nextBoolean() ? "." + r.nextInt(LEAF_PER_MID) : "") : "");
      p.append("permit(principal in Group::\"").append(group).append("\", action == Action::\"")
          .append(ACTIONS[r.nextInt(3)]).append("\", resource in Folder::\"f")
          .append(r.nextInt(FOLDERS)).append("\");\n");
      n++;
    }
    // ABAC: department, level against classification, tags, public folders.
    while (n < 95) {
      switch (n % 4) {
        case 0 -> p.append("permit(principal is User, action == Action::\"comment\", resource is"
            + " Document) when { principal.department == resource.department && principal.level"
            + " >= resource.classification };\n");
        case 1 -> p.append("permit(principal in Group::\"g").append(r.nextInt(TOP_GROUPS))
            .append("\", action == Action::\"view\", resource is Document) when {"
                + " resource.tags.contains(\"t").append(r.nextInt(10)).append("\") };\n");
        case 2 -> p.append("forbid(principal, action == Action::\"delete\", resource is Document)"
            + " when { resource.classification > ").append(2 + r.nextInt(3)).append(" };\n");
        default -> p.append("permit(principal, action == Action::\"view\", resource) when {"
            + " resource has department && resource.department == \"d").append(r.nextInt(8))
            .append("\" && context.network == \"corp\" };\n");
      }
      n++;
    }
    while (n < 100) {
      p.append("forbid(principal, action == Action::\"share\", resource in Folder::\"f")
          .append(r.nextInt(FOLDERS)).append("\") unless { principal.level >= 4 };\n");
      n++;
    }
    this.policies = p.toString();

    for (int i = 0; i < 1024; i++) {
      requests.add(new String[] {"u" + r.nextInt(USERS), ACTIONS[r.nextInt(ACTIONS.length)],
          "doc" + r.nextInt(DOCUMENTS)});
    }
  }

  private static void entity(StringBuilder out, String type, String id, String attrs,
      List<String> parents) {
    out.append("{\"uid\":{\"type\":\"").append(type).append("\",\"id\":\"").append(id)
        .append("\"},\"attrs\":").append(attrs).append(",\"parents\":[");
    for (int i = 0; i < parents.size(); i++) {
      String p = parents.get(i);
      int sep = p.indexOf("::");
      out.append(i == 0 ? "" : ",").append("{\"type\":\"").append(p, 0, sep)
          .append("\",\"id\":").append(p.substring(sep + 2)).append("}");
    }
    out.append("]},");
  }
}
