package dev.gatehouse.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule that makes rolling upgrades safe (docs/operations.md, "Upgrades"): a migration only
 * expands the schema, so the nodes of the previous version keep working on a database the new
 * version has migrated, and can be rolled back to. Dropping or renaming a table or column,
 * changing a column's type, or making a column NOT NULL without a default breaks them.
 *
 * <p>Such a step belongs to a later release (the contract phase), once no node of a version that
 * uses the old shape runs; it is then marked {@code -- contract: <why it is safe now>} on the line
 * before the statement, and this test lets it through.
 */
class MigrationCompatibilityTest {

  private static final Pattern FILE = Pattern.compile("V(\\d+(?:_\\d+)*)__[a-z0-9_]+\\.sql");

  /** Statements that break the previous version, with why. */
  private static final List<Pattern> BREAKING = List.of(
      Pattern.compile("\\bdrop\\s+(table|column|view|sequence|schema)\\b"),
      Pattern.compile("\\balter\\s+table\\s+\\S+\\s+drop\\s+(?!constraint)"),
      Pattern.compile("\\brename\\b"),
      Pattern.compile("\\balter\\s+column\\s+\\S+\\s+(set\\s+data\\s+)?type\\b"),
      Pattern.compile("\\balter\\s+column\\s+\\S+\\s+set\\s+not\\s+null\\b"),
      Pattern.compile("\\btruncate\\b"));

  /** A new column: NOT NULL needs a default, or the previous version's inserts fail. */
  private static final Pattern ADD_COLUMN = Pattern.compile("\\badd\\s+column\\b");

  @Test
  void migrationsWhenReadThenOnlyExpandTheSchema() throws Exception {
    List<String> problems = new ArrayList<>();
    for (Path file : migrations()) {
      problems.addAll(breakingStatements(file.getFileName().toString(), Files.readString(file)));
    }
    assertThat(problems).as("migrations that would break the previous version during a rolling"
        + " upgrade (docs/operations.md, \"Upgrades\")").isEmpty();
  }

  @Test
  void migrationsWhenListedThenVersionedFilesWithUniqueVersions() throws Exception {
    List<Path> files = migrations();
    assertThat(files).isNotEmpty();
    List<String> versions = new ArrayList<>();
    for (Path f : files) {
      Matcher m = FILE.matcher(f.getFileName().toString());
      assertThat(m.matches()).as("%s: versioned migrations are named V<n>__<what>.sql", f).isTrue();
      versions.add(m.group(1));
    }
    assertThat(versions).doesNotHaveDuplicates();
  }

  @Test
  void checkWhenStatementBreaksThePreviousVersionThenReported() {
    assertThat(breakingStatements("V99__x.sql", "alter table client drop column secret_hash;"))
        .hasSize(1);
    assertThat(breakingStatements("V99__x.sql", "alter table client rename column a to b;"))
        .hasSize(1);
    assertThat(breakingStatements("V99__x.sql", "drop table tenant;")).hasSize(1);
    assertThat(breakingStatements("V99__x.sql", "alter table t alter column c type bigint;"))
        .hasSize(1);
    assertThat(breakingStatements("V99__x.sql", "alter table t alter column c set not null;"))
        .hasSize(1);
    assertThat(breakingStatements("V99__x.sql", "alter table t add column c varchar(5) not null;"))
        .hasSize(1);
  }

  @Test
  void checkWhenStatementOnlyExpandsOrIsMarkedContractThenAccepted() {
    assertThat(breakingStatements("V99__x.sql", """
        create table t (id varchar(64) not null primary key, name varchar(10) not null);
        alter table t add column c varchar(5) default 'a' not null;
        alter table t add column d bigint;
        create index t_d on t (d);
        alter table t drop constraint t_old_check;
        -- contract: nothing reads old_column since 0.3, and 0.3 is the oldest release running
        alter table t drop column old_column;
        """)).isEmpty();
  }

  static List<String> breakingStatements(String file, String sql) {
    List<String> problems = new ArrayList<>();
    boolean contract = false;
    StringBuilder statement = new StringBuilder();
    for (String line : sql.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--")) {
        contract |= trimmed.toLowerCase().startsWith("-- contract:");
        continue;
      }
      statement.append(' ').append(trimmed);
      if (trimmed.endsWith(";")) {
        String s = statement.toString().toLowerCase().replaceAll("\\s+", " ").strip();
        if (!contract && !s.startsWith("create table")) {
          boolean breaking = BREAKING.stream().anyMatch(p -> p.matcher(s).find())
              || ADD_COLUMN.matcher(s).find() && s.contains(" not null") && !s.contains(" default ");
          if (breaking) {
            problems.add(file + ": " + s);
          }
        }
        statement.setLength(0);
        contract = false;
      }
    }
    return problems;
  }

  private static List<Path> migrations() throws IOException, URISyntaxException {
    Path dir = Path.of(MigrationCompatibilityTest.class.getResource("/db/migration").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    }
  }
}
