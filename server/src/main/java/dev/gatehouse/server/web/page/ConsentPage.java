package dev.gatehouse.server.web.page;

import java.util.List;

/**
 * The consent page: which application asks for what, with Allow and Deny buttons.
 *
 * @param binding ties the answer to this browser session and this request (only they can post it)
 */
public record ConsentPage(Layout layout, String action, String csrf, String ar,
    String clientName, List<String> scopeDescriptions, String binding) implements Page {

  @Override
  public String template() {
    return "consent.jte";
  }
}
