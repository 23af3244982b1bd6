package dev.gatehouse.server.web.page;

/**
 * What the shared layout ({@code layout/page.jte}) needs from every page: the tenant's brand and
 * the response's CSP nonce, which the inline style sheet must carry.
 */
public record Layout(Brand brand, String nonce) {}
