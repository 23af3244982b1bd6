package dev.gatehouse.cedar.validation;

import java.util.Set;

/**
 * The result of typechecking one expression: its type (possibly {@code null} when none could be
 * given), the capabilities it yields when it evaluates to {@code true}, and whether it
 * typechecked without error.
 *
 * <p>A failed expression may still carry a type, so that typechecking can go on around it and
 * report further errors, as upstream's {@code TypecheckAnswer::TypecheckFail} does.
 */
record Answer(Type type, Set<Capability> caps, boolean ok) {

  static Answer success(Type type) {
    return new Answer(type, Set.of(), true);
  }

  static Answer success(Type type, Set<Capability> caps) {
    return new Answer(type, caps, true);
  }

  static Answer fail(Type type) {
    return new Answer(type, Set.of(), false);
  }

  /** This answer, failed if {@code stillOk} is false (the capabilities are then dropped). */
  Answer failIfNot(boolean stillOk) {
    return stillOk ? this : new Answer(type, Set.of(), false);
  }
}
