package dev.gatehouse.server.tenant;

import dev.gatehouse.server.store.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link TenantStore} on the {@code tenant} table. */
public final class JdbcTenantStore implements TenantStore {

  private final Jdbc jdbc;

  public JdbcTenantStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<Tenant> find(String id) {
    return jdbc.queryOne("select * from tenant where id = ?", JdbcTenantStore::map, id);
  }

  @Override
  public boolean insert(Tenant t) {
    return jdbc.updateUnlessDuplicate(
        "insert into tenant (id, display_name, created_at) values (?, ?, ?)",
        t.id(), t.displayName(), t.createdAt()) == 1;
  }

  @Override
  public boolean update(Tenant t) {
    Branding b = t.branding();
    return jdbc.update("update tenant set display_name = ?, logo_url = ?, primary_color = ?,"
        + " accent_color = ?, support_url = ?, privacy_url = ? where id = ?", t.displayName(),
        b.logoUrl(), b.primaryColor(), b.accentColor(), b.supportUrl(), b.privacyUrl(),
        t.id()) == 1;
  }

  @Override
  public List<Tenant> list(String afterId, int limit) {
    // Admin listing only: tolerates replica lag.
    return jdbc.replicaQuery("select * from tenant where id > ? order by id limit ?",
        JdbcTenantStore::map, afterId == null ? "" : afterId, limit);
  }

  @Override
  public boolean delete(String id) {
    return jdbc.update("delete from tenant where id = ?", id) == 1;
  }

  private static Tenant map(ResultSet rs) throws SQLException {
    Branding b;
    try {
      b = new Branding(rs.getString("logo_url"), rs.getString("primary_color"),
          rs.getString("accent_color"), rs.getString("support_url"), rs.getString("privacy_url"));
    } catch (IllegalArgumentException e) {
      // Only this store writes these columns, validated; a row edited by hand to something
      // unsafe shows Gatehouse's defaults rather than failing the tenant.
      b = Branding.NONE;
    }
    return new Tenant(rs.getString("id"), rs.getString("display_name"), rs.getLong("created_at"),
        b);
  }
}
