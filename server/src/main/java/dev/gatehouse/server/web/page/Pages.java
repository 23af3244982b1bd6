package dev.gatehouse.server.web.page;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;

/**
 * Renders hosted pages from their JTE templates (under {@code server/src/main/jte/}).
 *
 * <p>The templates are compiled to Java classes at build time by {@code jte-maven-plugin}'s
 * {@code generate} goal and loaded from the class path: no template compiler at run time. The
 * content type is HTML, so every {@code ${...}} is escaped for where it stands (element text,
 * attribute value, script block); {@code $unsafe{...}} is not used.
 */
public final class Pages {

  private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

  private Pages() {}

  /** The page as UTF-8 HTML. */
  public static byte[] render(Page page) {
    Utf8ByteOutput out = new Utf8ByteOutput();
    ENGINE.render(page.template(), page, out);
    return out.toByteArray();
  }
}
