package dev.gatehouse.server.events;

import dev.gatehouse.server.store.Jdbc;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@link EventOutbox} on the {@code event_outbox} table (append-only) and the {@code event_cursor}
 * table (one row per reader).
 *
 * <p>Ids come from an identity column, taken when a row is inserted, so a transaction that is
 * still open leaves a gap that a later one's committed ids are already past. A reader that moved
 * its cursor over the gap would never see the late rows. So {@link #consume} stops at the first
 * gap and waits for it to fill; a gap still open after {@link #GAP_WAIT_NANOS} is taken for ids
 * that will never come (a rolled-back insert, a sequence skipped at a database crash) and is
 * stepped over. Transactions that write events are short; one open longer than that would have its
 * events skipped by the readers (they stay in the table and in {@code events tail}).
 */
public final class JdbcEventOutbox implements EventOutbox {

  /** How long a reader waits for a gap in the ids to fill before stepping over it. */
  static final long GAP_WAIT_NANOS = 30_000_000_000L;

  private final Jdbc jdbc;
  /** Per reader: the gap it is waiting for (the id before it) and since when. */
  private final Map<String, long[]> gaps = new ConcurrentHashMap<>();
  private final long gapWaitNanos;

  public JdbcEventOutbox(Jdbc jdbc) {
    this(jdbc, GAP_WAIT_NANOS);
  }

  JdbcEventOutbox(Jdbc jdbc, long gapWaitNanos) {
    this.jdbc = jdbc;
    this.gapWaitNanos = gapWaitNanos;
  }

  @Override
  public void append(List<Event> events) {
    if (events.isEmpty()) {
      return;
    }
    jdbc.inTransaction(c -> {
      // Multi-row INSERTs: one statement of n rows costs the database one parse, one savepoint
      // and one round trip where a batch of single-row INSERTs costs n. Only three statement
      // shapes (100, 10 and 1 rows), so that the database's statement cache keeps them parsed.
      int at = 0;
      for (int shape = 0; shape < STATEMENT_ROWS.length; shape++) {
        int rows = STATEMENT_ROWS[shape];
        if (events.size() - at < rows) {
          continue;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERTS[shape])) {
          while (events.size() - at >= rows) {
            bind(ps, events.subList(at, at + rows));
            ps.executeUpdate();
            at += rows;
          }
        }
      }
      return null;
    });
  }

  /** Rows per INSERT statement (a batch of more takes several; 4 parameters a row). */
  static final int ROWS_PER_INSERT = 100;
  private static final int[] STATEMENT_ROWS = {ROWS_PER_INSERT, 10, 1};

  private static final String[] INSERTS = java.util.Arrays.stream(STATEMENT_ROWS)
      .mapToObj(JdbcEventOutbox::insert).toArray(String[]::new);

  private static String insert(int rows) {
    StringBuilder sql = new StringBuilder(64 + rows * 16)
        .append("insert into event_outbox (tenant_id, type, payload, created_at) values ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
    }
    return sql.toString();
  }

  private static void bind(PreparedStatement ps, List<Event> rows) throws java.sql.SQLException {
    int p = 1;
    for (Event e : rows) {
      ps.setString(p++, e.tenantId());
      ps.setString(p++, e.type());
      ps.setString(p++, e.payload());
      ps.setLong(p++, e.createdAt());
    }
  }

  @Override
  public int consume(String reader, int limit, long createdBefore,
      Consumer<List<Stored>> consumer) {
    return read(reader, limit, createdBefore, consumer, ROWS);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Reads no event: the first id created at or after {@code createdBefore} is found by a binary
   * search on the primary key (as {@link #purge} does), and the cursor moves to the id before it.
   * Reading every row instead cost 2.5-3 µs of CPU per event at ten thousand events a second, for
   * a reader with nothing to do. Ids of transactions still open below that point are stepped over
   * with the rest; that is what skipping means.
   */
  @Override
  public long skip(String reader, long createdBefore) {
    return jdbc.inTransaction(c -> {
      Long last = lockCursor(c, reader);
      if (last == null) {
        return 0L;
      }
      long to = firstCreatedAtOrAfter(c, createdBefore) - 1;
      if (to <= last) {
        return 0L;
      }
      Jdbc.update(c, "update event_cursor set last_id = ? where name = ?", to, reader);
      gaps.remove(reader);
      return to - last;
    });
  }

  /**
   * The reader's cursor, locked for this transaction, or null when another node holds it (SKIP
   * LOCKED: there is nothing to do here then) or it did not exist (it does now, at 0).
   */
  private static Long lockCursor(java.sql.Connection c, String reader)
      throws java.sql.SQLException {
    List<Long> cursor = Jdbc.query(c, "select last_id from event_cursor where name = ?"
        + " for update skip locked", rs -> rs.getLong(1), reader);
    if (cursor.isEmpty()) {
      Jdbc.update(c, "insert into event_cursor (name, last_id) select ?, 0 from"
          + " (values (1)) v where not exists (select 1 from event_cursor where name = ?)",
          reader, reader);
      return null;
    }
    return cursor.get(0);
  }

  private static final String ROWS = "select id, tenant_id, type, payload, created_at"
      + " from event_outbox where id > ? order by id limit ?";

  private int read(String reader, int limit, long createdBefore, Consumer<List<Stored>> consumer,
      String select) {
    return jdbc.inTransaction(c -> {
      Long cursor = lockCursor(c, reader);
      if (cursor == null) {
        return 0;
      }
      long last = cursor;
      long[] gap = gaps.get(reader);
      if (gap != null && gap[0] == last && System.nanoTime() - gap[1] < gapWaitNanos
          && Jdbc.query(c, "select id from event_outbox where id = ?", rs -> rs.getLong(1),
              last + 1).isEmpty()) {
        // Still waiting for the gap: one point read instead of re-reading the whole backlog
        // behind it every round.
        return 0;
      }
      List<Stored> rows = Jdbc.query(c, select, JdbcEventOutbox::map, last, limit);
      List<Stored> ready = ready(reader, last, rows, createdBefore);
      if (ready.isEmpty()) {
        return 0;
      }
      consumer.accept(ready);
      Jdbc.update(c, "update event_cursor set last_id = ? where name = ?",
          ready.get(ready.size() - 1).id(), reader);
      return ready.size();
    });
  }

  /** The leading events of {@code rows} a reader at {@code last} may take now (see above). */
  private List<Stored> ready(String reader, long last, List<Stored> rows, long createdBefore) {
    long expected = last + 1;
    int n = 0;
    for (Stored r : rows) {
      if (r.createdAt() >= createdBefore) {
        break;
      }
      if (r.id() != expected) {
        long[] gap = gaps.get(reader);
        long now = System.nanoTime();
        if (gap == null || gap[0] != expected - 1) {
          gaps.put(reader, new long[] {expected - 1, now});
          break;
        }
        if (now - gap[1] < gapWaitNanos) {
          break;
        }
        // INVARIANT: only a gap that stayed open for the whole wait is stepped over.
      }
      expected = r.id() + 1;
      n++;
    }
    return rows.subList(0, n);
  }

  @Override
  public List<Stored> after(String tenantId, long afterId, int limit) {
    return jdbc.query("select id, tenant_id, type, payload, created_at from event_outbox"
        + " where tenant_id = ? and id > ? order by id limit ?", JdbcEventOutbox::map, tenantId,
        afterId, limit);
  }

  @Override
  public long latestId(String tenantId) {
    return jdbc.queryOne("select max(id) from event_outbox where tenant_id = ?",
        rs -> rs.getLong(1), tenantId).orElse(0L);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Deletes a range of ids rather than searching {@code created_at}, which then needs no index
   * (one index fewer to maintain on every append): everything below {@link
   * #firstCreatedAtOrAfter} goes.
   */
  @Override
  public int purge(long before) {
    long first = jdbc.inTransaction(c -> firstCreatedAtOrAfter(c, before));
    return jdbc.update("delete from event_outbox where id < ?", first);
  }

  /**
   * The first id created at or after {@code before} (epoch second), or one past the last id when
   * none is: ids grow with time, so a binary search on the primary key finds it in about 40 point
   * reads, with no index on {@code created_at}. Events are appended a few milliseconds after their
   * {@code created_at} (the writer's queue), so the boundary is exact to within that.
   */
  private static long firstCreatedAtOrAfter(java.sql.Connection c, long before)
      throws java.sql.SQLException {
    // min and max only: both databases answer them from the primary key's ends, where count(*)
    // counts the rows (H2 under concurrent inserts, PostgreSQL always).
    long[] range = Jdbc.query(c, "select min(id), max(id) from event_outbox", rs -> {
      long min = rs.getLong(1);
      return rs.wasNull() ? null : new long[] {min, rs.getLong(2)};
    }).get(0);
    if (range == null) {
      return 0;
    }
    long lo = range[0];
    long hi = range[1] + 1;
    // INVARIANT: every id below lo was created before `before`; the answer is below hi.
    while (lo < hi) {
      long mid = lo + (hi - lo) / 2;
      List<long[]> row = Jdbc.query(c, "select id, created_at from event_outbox where id >= ?"
          + " order by id limit 1", rs -> new long[] {rs.getLong(1), rs.getLong(2)}, mid);
      if (!row.isEmpty() && row.get(0)[1] < before) {
        lo = row.get(0)[0] + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static Stored map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Stored(rs.getLong("id"), rs.getString("tenant_id"), rs.getString("type"),
        rs.getString("payload"), rs.getLong("created_at"));
  }
}
