package dev.gatehouse.server.web.page;

import java.util.Map;

/**
 * The form_post response (OAuth 2.0 Form Post Response Mode §2): a form posting {@code fields} to
 * {@code action}, submitted by a script under the response's CSP nonce, with a button without
 * JavaScript. Unbranded: the person sees it for an instant at most.
 */
public record FormPostPage(String nonce, String action, Map<String, String> fields)
    implements Page {

  @Override
  public String template() {
    return "formPost.jte";
  }
}
