package dev.gatehouse.server.config;

import java.time.Duration;

/**
 * Admission limits: how many requests of each endpoint class a node works on at once, and how long
 * a request beyond that waits for a slot before it is answered 503 with {@code Retry-After}. A
 * limit of 0 turns the class's limit off. See docs/operations.md (load shedding).
 *
 * @param signin hosted pages: authorize, login, consent, second factor, account, logout
 *     ({@code admission.signin}, 32: each password check holds an Argon2id buffer)
 * @param token token issuance and revocation ({@code admission.token}, 256)
 * @param introspect introspection and userinfo ({@code admission.introspect}, 256)
 * @param policy policy decisions and AuthZEN evaluations ({@code admission.policy}, 256)
 * @param admin the admin API ({@code admission.admin}, 64)
 * @param queueWait longest a request waits for a slot ({@code admission.queue-ms}, 1000)
 */
public record AdmissionConfig(int signin, int token, int introspect, int policy, int admin,
    Duration queueWait) {

  public static final AdmissionConfig DEFAULTS =
      new AdmissionConfig(32, 256, 256, 256, 64, Duration.ofSeconds(1));

  /** No limits: every request is admitted at once. */
  public static final AdmissionConfig OFF = new AdmissionConfig(0, 0, 0, 0, 0, Duration.ZERO);
}
