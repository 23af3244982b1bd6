package dev.gatehouse.server.config;

/**
 * Argon2id cost of password hashing (the {@code passwords.*} keys). The defaults are OWASP's:
 * 19 MiB, 2 passes, 1 lane. Raising them slows every password login; lowering them weakens every
 * stored hash against offline guessing.
 */
public record PasswordsConfig(int argon2MemoryKib, int argon2Iterations, int argon2Parallelism) {

  public static final PasswordsConfig OWASP = new PasswordsConfig(19 * 1024, 2, 1);
}
