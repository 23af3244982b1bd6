package dev.gatehouse.server.web.page;

/**
 * A hosted page's model: one record per page, rendered by the JTE template it names. Adding a
 * page means a {@code .jte} file under {@code server/src/main/jte/} whose single parameter is the
 * record, and the record implementing this interface.
 */
public interface Page {

  /** The template's name relative to {@code src/main/jte}, e.g. {@code login.jte}. */
  String template();

  /**
   * The shared layout's model; a record with a {@code layout} component answers with it. Null for
   * a page outside the layout (the form_post response).
   */
  default Layout layout() {
    return null;
  }
}
