package dev.gatehouse.server.identity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * A tenant's rules for new passwords: a minimum length (NIST SP 800-63B §5.1.1.2: at least 8),
 * a maximum of 256 characters, and no password from the bundled list of commonly chosen ones or
 * equal to the username or email.
 */
public record PasswordPolicy(int minLength, boolean refuseCommon) {

  public static final int MAX_LENGTH = 256;
  public static final PasswordPolicy DEFAULT = new PasswordPolicy(8, true);
  private static final Set<String> COMMON = loadCommon();

  public PasswordPolicy {
    if (minLength < 1 || minLength > MAX_LENGTH) {
      throw new IllegalArgumentException("min_length must be between 1 and " + MAX_LENGTH);
    }
  }

  /** Why {@code password} is refused, or null when it is acceptable. */
  public String problem(String password, String username, String email) {
    if (password == null || password.codePointCount(0, password.length()) < minLength) {
      return "the password must have at least " + minLength + " characters";
    }
    if (password.length() > MAX_LENGTH) {
      return "the password must have at most " + MAX_LENGTH + " characters";
    }
    String lower = password.toLowerCase(Locale.ROOT);
    if (refuseCommon && COMMON.contains(lower)) {
      return "the password is too common";
    }
    if (lower.equals(username == null ? null : username.toLowerCase(Locale.ROOT))
        || lower.equals(email == null ? null : email.toLowerCase(Locale.ROOT))) {
      return "the password must not be the username or email";
    }
    return null;
  }

  private static Set<String> loadCommon() {
    Set<String> words = new HashSet<>();
    try (InputStream in = PasswordPolicy.class.getResourceAsStream(
        "/identity/common-passwords.txt")) {
      if (in == null) {
        throw new IllegalStateException("identity/common-passwords.txt is missing");
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String w = line.strip();
        if (!w.isEmpty() && !w.startsWith("#")) {
          words.add(w);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return Set.copyOf(words);
  }
}
