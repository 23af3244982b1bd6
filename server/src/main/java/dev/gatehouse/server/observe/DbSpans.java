package dev.gatehouse.server.observe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client span for each JDBC statement of a traced request or task, after the database
 * conventions: named {@code OPERATION table} ({@code SELECT clients}), with {@code
 * db.system.name}, {@code db.operation.name}, {@code db.collection.name} and {@code
 * db.query.text}. The text is the statement as prepared, with {@code ?} for every value: no
 * parameter (a hash, a user's name) ever reaches a span.
 */
public final class DbSpans {

  private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
  private static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("db.operation.name");
  private static final AttributeKey<String> COLLECTION =
      AttributeKey.stringKey("db.collection.name");
  private static final AttributeKey<String> QUERY = AttributeKey.stringKey("db.query.text");
  private static final Pattern TABLE = Pattern.compile(
      "(?is)^\\s*(?:select\\b.*?\\bfrom|delete\\s+from|insert\\s+into|merge\\s+into|update)"
          + "\\s+([a-z_][a-z0-9_]*)");
  /** Statements are constants in the code: a few hundred at most; the bound is a safety net. */
  private static final ConcurrentHashMap<String, String[]> PARSED = new ConcurrentHashMap<>();

  private DbSpans() {}

  /** Starts the span of {@code sql} on {@code connection}; invalid outside traced work. */
  public static Span start(Connection connection, String sql) {
    Span span = Spans.start("db", SpanKind.CLIENT);
    if (span.isRecording()) {
      String[] p = parse(sql);
      span.updateName(p[1].isEmpty() ? p[0] : p[0] + " " + p[1]);
      span.setAttribute(SYSTEM, system(connection));
      span.setAttribute(OPERATION, p[0]);
      if (!p[1].isEmpty()) {
        span.setAttribute(COLLECTION, p[1]);
      }
      span.setAttribute(QUERY, sql);
    }
    return span;
  }

  /** The operation (first keyword, upper case) and the table a statement names. */
  static String[] parse(String sql) {
    String[] known = PARSED.get(sql);
    if (known != null) {
      return known;
    }
    String trimmed = sql.strip();
    int space = trimmed.indexOf(' ');
    String operation = (space < 0 ? trimmed : trimmed.substring(0, space))
        .toUpperCase(Locale.ROOT);
    Matcher m = TABLE.matcher(trimmed);
    String[] parsed = {operation, m.find() ? m.group(1).toLowerCase(Locale.ROOT) : ""};
    if (PARSED.size() < 2000) {
      PARSED.put(sql, parsed);
    }
    return parsed;
  }

  private static String system(Connection connection) {
    try {
      String product = connection.getMetaData().getDatabaseProductName();
      return switch (product.toLowerCase(Locale.ROOT)) {
        case "postgresql" -> "postgresql";
        case "h2" -> "h2database";
        default -> "other_sql";
      };
    } catch (SQLException e) {
      return "other_sql";
    }
  }
}
