package dev.gatehouse.server.store;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The identity of an installation: every node sharing the database reads the same id, made once
 * at first start. Redis keys carry it, so that two installations (staging and production, or two
 * test servers) sharing a Redis never see each other's cache entries, revocations or counters.
 */
public final class Installation {

  private Installation() {}

  /**
   * Records {@code checkValue} (the master key's key check value) with the installation at its
   * first start, and afterwards fails when a node brings a different one: its encrypted signing
   * keys and secret hashes would be unreadable, and every client would get {@code invalid_client}.
   * Returns the installation's id.
   */
  public static String checkMasterKey(Jdbc jdbc, String checkValue) {
    String id = id(jdbc);
    jdbc.update("update installation set key_check = ? where id = ? and key_check is null",
        checkValue, id);
    String stored = jdbc.queryOne("select key_check from installation where id = ?",
        rs -> rs.getString(1), id).orElseThrow();
    if (!stored.equals(checkValue)) {
      throw new IllegalStateException("the master key does not match this installation's data"
          + " (its key check value differs): start with the GATEHOUSE_MASTER_KEY or master.key"
          + " this installation was created with");
    }
    return id;
  }

  /** The installation's id (16 hex digits), created when the database has none yet. */
  public static String id(Jdbc jdbc) {
    return jdbc.queryOne("select id from installation order by created_at, id",
        rs -> rs.getString(1)).orElseGet(() -> {
          byte[] b = new byte[8];
          new SecureRandom().nextBytes(b);
          // Two nodes starting at once may both insert: the oldest row wins for everyone.
          jdbc.updateUnlessDuplicate("insert into installation (id, created_at) values (?, ?)",
              HexFormat.of().formatHex(b), System.currentTimeMillis());
          return jdbc.queryOne("select id from installation order by created_at, id",
              rs -> rs.getString(1)).orElseThrow();
        });
  }
}
