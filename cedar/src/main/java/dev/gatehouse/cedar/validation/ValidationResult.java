package dev.gatehouse.cedar.validation;

import java.util.List;

/**
 * The outcome of validating a policy set against a schema: errors, which make validation fail,
 * and warnings, which do not.
 *
 * @param errors problems that make validation fail
 * @param warnings problems worth reporting that do not make validation fail
 */
public record ValidationResult(List<ValidationError> errors, List<ValidationError> warnings) {
  /** Creates a result; the lists are copied. */
  public ValidationResult {
    errors = List.copyOf(errors);
    warnings = List.copyOf(warnings);
  }

  /** Whether validation passed: there are no errors (warnings do not count). */
  public boolean passed() {
    return errors.isEmpty();
  }
}
