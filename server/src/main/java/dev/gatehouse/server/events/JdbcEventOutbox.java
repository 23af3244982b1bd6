package dev.gatehouse.server.events;

import dev.gatehouse.server.store.Jdbc;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@link EventOutbox} on the {@code event_outbox} table (append-only) and the {@code event_cursor}
 * table (one row per reader).
 *
 * <p>A row holds one event, or a <em>frame</em>: {@code event_count} events of one tenant, type and
 * second, with consecutive ids from the row's {@code id}, their payloads one per line (compact
 * JSON has no raw line breaks). Readers see events, never frames. Frames exist because an embedded
 * H2 database is copy-on-write: every row appended copies the leaf page of the primary key and of
 * the tenant index, and the old copies live until the store's next commit, about a second, long
 * enough to be promoted out of the young generation. At ten thousand {@code token.issued} events
 * a second that garbage filled the old generation until a full collection stopped every request
 * for 100-150 ms, and held the heap at its maximum (docs/benchmarks.md). A batch written as a few
 * frames is a few rows.
 *
 * <p>Frames need ids taken in blocks, which an identity column cannot give; so only a {@link
 * #framed} log writes them, and it takes ids from a counter of this process. That is right only
 * where this process is the database's only writer: an embedded H2 database, which one process
 * holds locked. On PostgreSQL (many nodes) every row is one event with an identity id.
 *
 * <p>Ids are taken when a row is inserted, so a transaction that is still open leaves a gap that a
 * later one's committed ids are already past. A reader that moved its cursor over the gap would
 * never see the late rows. So {@link #consume} stops at the first gap and waits for it to fill; a
 * gap still open after {@link #GAP_WAIT_NANOS} is taken for ids that will never come (a
 * rolled-back insert, a sequence skipped at a database crash) and is stepped over. Transactions
 * that write events are short; one open longer than that would have its events skipped by the
 * readers (they stay in the table and in {@code events tail}).
 */
public final class JdbcEventOutbox implements EventOutbox {

  /** How long a reader waits for a gap in the ids to fill before stepping over it. */
  static final long GAP_WAIT_NANOS = 30_000_000_000L;
  /**
   * The most events a frame holds. Reads look back this far before an id, for the frame that
   * holds it.
   */
  static final int MAX_FRAME = 1_000;
  /**
   * The {@code event_cursor} row that keeps, past a purge, the id after the last one purged: a
   * framed log takes its first id above it, so that an id is never used twice even when
   * retention emptied the table.
   */
  static final String PURGED = "purged-below";

  private final Jdbc jdbc;
  /** Per reader: the gap it is waiting for (the id before it) and since when. */
  private final Map<String, long[]> gaps = new ConcurrentHashMap<>();
  private final long gapWaitNanos;
  /**
   * Where a framed log takes its ids, shared by every log of the same database in this JVM; null
   * for a log of one-event rows.
   */
  private final IdCounter ids;

  /**
   * The next id of a database's framed logs, 0 until read from the database. One per database
   * URL and JVM: nodes in one JVM (tests, an embedded use) may open the same embedded database.
   */
  private static final class IdCounter {
    long next;
  }

  private static final Map<String, IdCounter> COUNTERS = new ConcurrentHashMap<>();

  /** A log of one-event rows with identity ids (any database, any number of nodes). */
  public JdbcEventOutbox(Jdbc jdbc) {
    this(jdbc, GAP_WAIT_NANOS, null);
  }

  JdbcEventOutbox(Jdbc jdbc, long gapWaitNanos, String framedUrl) {
    this.jdbc = jdbc;
    this.gapWaitNanos = gapWaitNanos;
    this.ids = framedUrl == null ? null : COUNTERS.computeIfAbsent(framedUrl, u -> new IdCounter());
  }

  /**
   * A log that writes frames on the database at {@code url}; only for a database this process
   * alone writes ({@link #soleWriter}). Every append to that database must go through a framed
   * log of the same URL.
   */
  public static JdbcEventOutbox framed(Jdbc jdbc, String url) {
    return new JdbcEventOutbox(jdbc, GAP_WAIT_NANOS, url);
  }

  /** Forgets where the ids of {@code url} stopped, as a new process would (for tests). */
  static void forget(String url) {
    COUNTERS.remove(url);
  }

  /**
   * Whether a log on {@code jdbcUrl} may be {@link #framed}: an embedded H2 database (a file or
   * in memory), which no other process writes. Not H2's server modes, nor a file shared with
   * {@code AUTO_SERVER}.
   */
  public static boolean soleWriter(String jdbcUrl) {
    String url = jdbcUrl.toLowerCase(java.util.Locale.ROOT);
    return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:")
        && !url.startsWith("jdbc:h2:ssl:") && !url.contains("auto_server=true");
  }

  @Override
  public void append(List<Event> events) {
    if (events.isEmpty()) {
      return;
    }
    if (ids != null) {
      jdbc.inTransaction(c -> {
        appendFrames(c, events);
        return null;
      });
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

  /**
   * Writes {@code events} as frames: one row for each tenant, type and second, in the order each
   * first appears (an event keeps its place among its tenant's events, which is what readers of
   * one tenant see).
   */
  private void appendFrames(java.sql.Connection c, List<Event> events)
      throws java.sql.SQLException {
    Map<String, List<Event>> frames = new java.util.LinkedHashMap<>();
    for (Event e : events) {
      frames.computeIfAbsent(e.tenantId() + '\n' + e.type() + '\n' + e.createdAt(),
          k -> new ArrayList<>()).add(e);
    }
    try (PreparedStatement ps = c.prepareStatement("insert into event_outbox (id, tenant_id,"
        + " type, payload, created_at, event_count) values (?, ?, ?, ?, ?, ?)")) {
      for (List<Event> frame : frames.values()) {
        for (int from = 0; from < frame.size(); from += MAX_FRAME) {
          List<Event> part = frame.subList(from, Math.min(frame.size(), from + MAX_FRAME));
          Event first = part.get(0);
          StringBuilder payload = new StringBuilder(part.size() * (first.payload().length() + 1));
          for (Event e : part) {
            if (payload.length() > 0) {
              payload.append('\n');
            }
            payload.append(e.payload());
          }
          ps.setLong(1, takeIds(c, part.size()));
          ps.setString(2, first.tenantId());
          ps.setString(3, first.type());
          ps.setString(4, payload.toString());
          ps.setLong(5, first.createdAt());
          ps.setInt(6, part.size());
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /**
   * The first of {@code n} consecutive ids no row has had. The first call reads where the ids
   * stopped: past the last row, past every reader's cursor, past what retention purged.
   */
  private long takeIds(java.sql.Connection c, int n) throws java.sql.SQLException {
    synchronized (ids) {
      if (ids.next == 0) {
        long end = Jdbc.query(c, "select id + event_count from event_outbox order by id desc"
            + " limit 1", rs -> rs.getLong(1)).stream().findFirst().orElse(1L);
        long cursors = Jdbc.query(c, "select coalesce(max(last_id), 0) + 1 from event_cursor",
            rs -> rs.getLong(1)).get(0);
        ids.next = Math.max(end, cursors);
      }
      long first = ids.next;
      ids.next += n;
      return first;
    }
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
    return read(reader, limit, createdBefore, consumer);
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

  private static final String COLUMNS =
      "select id, tenant_id, type, payload, created_at, event_count from event_outbox";

  /**
   * How far before an id its frame may start: reads of the events after an id start this much
   * earlier, so that a frame that holds it is found (0 where every row is one event).
   */
  private long lookback() {
    return ids != null ? MAX_FRAME - 1 : 0;
  }

  private int read(String reader, int limit, long createdBefore,
      Consumer<List<Stored>> consumer) {
    return jdbc.inTransaction(c -> {
      Long cursor = lockCursor(c, reader);
      if (cursor == null) {
        return 0;
      }
      long last = cursor;
      long[] gap = gaps.get(reader);
      if (gap != null && gap[0] == last && System.nanoTime() - gap[1] < gapWaitNanos
          && Jdbc.query(c, "select id from event_outbox where id > ? and id <= ?"
              + " and id + event_count > ?", rs -> rs.getLong(1), last - lookback(), last + 1,
              last + 1).isEmpty()) {
        // Still waiting for the gap: one point read instead of re-reading the whole backlog
        // behind it every round.
        return 0;
      }
      List<Stored> events = after(c, null, last, limit);
      List<Stored> ready = ready(reader, last, events, createdBefore);
      if (ready.isEmpty()) {
        return 0;
      }
      consumer.accept(ready);
      Jdbc.update(c, "update event_cursor set last_id = ? where name = ?",
          ready.get(ready.size() - 1).id(), reader);
      return ready.size();
    });
  }

  /**
   * The events after id {@code afterId} (of one tenant, or of all when {@code tenantId} is
   * null), oldest first, at most {@code limit}: the rows that hold them, read from the frame that
   * may hold {@code afterId} on, and opened.
   */
  private List<Stored> after(java.sql.Connection c, String tenantId, long afterId, int limit)
      throws java.sql.SQLException {
    String where = tenantId == null ? " where" : " where tenant_id = ? and";
    String sql = COLUMNS + where + " id > ? and id + event_count > ? order by id limit ?";
    Object[] args = tenantId == null
        ? new Object[] {afterId - lookback(), afterId + 1, limit}
        : new Object[] {tenantId, afterId - lookback(), afterId + 1, limit};
    List<Stored> events = new ArrayList<>();
    for (List<Stored> row : Jdbc.query(c, sql, JdbcEventOutbox::open, args)) {
      for (Stored e : row) {
        if (e.id() > afterId && events.size() < limit) {
          events.add(e);
        }
      }
    }
    return events;
  }

  /** The leading events of {@code events} a reader at {@code last} may take now (see above). */
  private List<Stored> ready(String reader, long last, List<Stored> events, long createdBefore) {
    long expected = last + 1;
    int n = 0;
    for (Stored r : events) {
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
    return events.subList(0, n);
  }

  @Override
  public List<Stored> after(String tenantId, long afterId, int limit) {
    return jdbc.inTransaction(c -> after(c, tenantId, afterId, limit));
  }

  @Override
  public java.util.OptionalLong oldestUnread(String reader) {
    return jdbc.inTransaction(c -> {
      long cursor = Jdbc.query(c, "select last_id from event_cursor where name = ?",
          rs -> rs.getLong(1), reader).stream().findFirst().orElse(0L);
      List<Stored> next = after(c, null, cursor, 1);
      return next.isEmpty() ? java.util.OptionalLong.empty()
          : java.util.OptionalLong.of(next.get(0).createdAt());
    });
  }

  @Override
  public Optional<Stored> find(String tenantId, long id) {
    return after(tenantId, id - 1, 1).stream().filter(e -> e.id() == id).findFirst();
  }

  @Override
  public long latestId(String tenantId) {
    return jdbc.queryOne("select id + event_count - 1 from event_outbox where tenant_id = ?"
        + " order by id desc limit 1", rs -> rs.getLong(1), tenantId).orElse(0L);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Deletes a range of ids rather than searching {@code created_at}, which then needs no index
   * (one index fewer to maintain on every append): everything below {@link
   * #firstCreatedAtOrAfter} goes. Where the ids stopped is kept in the {@link #PURGED} row, so that
   * a {@link #framed} log never takes them again. Returns how many events (not rows) it deleted.
   */
  @Override
  public int purge(long before) {
    return jdbc.inTransaction(c -> {
      long first = firstCreatedAtOrAfter(c, before);
      long events = Jdbc.query(c, "select coalesce(sum(event_count), 0) from event_outbox"
          + " where id < ?", rs -> rs.getLong(1), first).get(0);
      if (events == 0) {
        return 0;
      }
      Jdbc.update(c, "delete from event_outbox where id < ?", first);
      if (Jdbc.update(c, "update event_cursor set last_id = ? where name = ? and last_id < ?",
          first - 1, PURGED, first - 1) == 0) {
        Jdbc.update(c, "insert into event_cursor (name, last_id) select ?, ? from (values (1)) v"
            + " where not exists (select 1 from event_cursor where name = ?)", PURGED, first - 1,
            PURGED);
      }
      return (int) Math.min(Integer.MAX_VALUE, events);
    });
  }

  /**
   * The first id created at or after {@code before} (epoch second), or one past the last id when
   * none is: ids grow with time, so a binary search on the primary key finds it in about 40 point
   * reads, with no index on {@code created_at}. Events are appended a few milliseconds after their
   * {@code created_at} (the writer's queue), so the boundary is exact to within that. The events of
   * a frame share their second, so the answer is where a row starts.
   */
  private long firstCreatedAtOrAfter(java.sql.Connection c, long before)
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
      // The row that holds mid, or the first after it.
      List<long[]> row = Jdbc.query(c, "select id, created_at, event_count from event_outbox"
          + " where id > ? and id + event_count > ? order by id limit 1",
          rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, mid - 1 - lookback(),
          mid);
      if (!row.isEmpty() && row.get(0)[1] < before) {
        lo = row.get(0)[0] + row.get(0)[2];
      } else {
        hi = row.isEmpty() ? mid : Math.min(mid, row.get(0)[0]);
      }
    }
    return lo;
  }

  /** The events of the current row: one, or a frame's. */
  private static List<Stored> open(java.sql.ResultSet rs) throws java.sql.SQLException {
    long id = rs.getLong("id");
    String tenant = rs.getString("tenant_id");
    String type = rs.getString("type");
    String payload = rs.getString("payload");
    long createdAt = rs.getLong("created_at");
    int count = rs.getInt("event_count");
    if (count == 1) {
      return List.of(new Stored(id, tenant, type, payload, createdAt));
    }
    List<Stored> events = new ArrayList<>(count);
    int from = 0;
    for (int i = 0; i < count; i++) {
      int to = payload.indexOf('\n', from);
      if (to < 0) {
        to = payload.length();
      }
      events.add(new Stored(id + i, tenant, type, payload.substring(from, to), createdAt));
      from = to + 1;
    }
    return events;
  }

}
