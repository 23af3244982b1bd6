package dev.gatehouse.cedar;

import dev.gatehouse.cedar.ast.Condition;
import dev.gatehouse.cedar.ast.Expr;
import dev.gatehouse.cedar.ast.Policy;
import dev.gatehouse.cedar.parser.ExprDepth;
import java.util.function.Supplier;

/**
 * Runs work that recurses as deep as its input nests on a thread whose stack is known to be large
 * enough, whatever the caller's: a virtual thread's stack may be as small as {@code -Xss} (the
 * launcher's 512 KiB), and a platform thread's smaller still.
 *
 * <p>Every recursive walk in this library is bounded by a nesting limit (the parser's {@link
 * dev.gatehouse.cedar.parser.PolicyParser#MAX_NESTING} and {@link
 * dev.gatehouse.cedar.parser.PolicyParser#MAX_TREE_DEPTH}, the JSON reader's depth, the schema's
 * type depth); {@link #STACK_BYTES} holds the deepest of them through parsing, validation,
 * compilation, evaluation, formatting and JSON conversion (a test walks each construct at its
 * limit on this stack). The parsers move themselves here once their nesting passes {@link
 * #INLINE_DEPTH}; so do {@link PolicySet#of} (compilation), {@link Authorizer}, the validator,
 * the formatter and {@code PolicyJson} when a policy's condition is deeper than that. Only deep
 * input pays for the thread.
 */
public final class DeepStack {

  /** The stack of the thread deep work runs on: virtual memory, committed only as touched. */
  public static final long STACK_BYTES = 64L * 1024 * 1024;

  /** Nesting a caller's stack is trusted with (at least 128 KiB of stack); deeper moves here. */
  public static final int INLINE_DEPTH = 32;

  private static final ThreadLocal<Boolean> ON_DEEP_STACK = ThreadLocal.withInitial(() -> false);

  private DeepStack() {}

  /** Whether {@code e} nests deeper than a caller's stack is trusted with. */
  public static boolean deep(Expr e) {
    return ExprDepth.of(e) > INLINE_DEPTH;
  }

  /** Whether a condition of one of {@code policies} nests deeper than {@link #INLINE_DEPTH}. */
  public static boolean deep(Iterable<Policy> policies) {
    for (Policy p : policies) {
      for (Condition c : p.conditions()) {
        if (deep(c.body())) {
          return true;
        }
      }
    }
    return false;
  }

  /** Returns {@code work.get()}: on the deep stack when {@code deep}, else on this thread. */
  public static <T> T callIf(boolean deep, Supplier<T> work) {
    return deep ? call(work) : work.get();
  }

  /** Whether the current thread is one of ours, with {@link #STACK_BYTES} of stack. */
  public static boolean active() {
    return ON_DEEP_STACK.get();
  }

  /**
   * Returns {@code work.get()}, computed on a thread with {@link #STACK_BYTES} of stack (on this
   * thread if it is one already). Exceptions and errors of the work are rethrown as they are.
   */
  public static <T> T call(Supplier<T> work) {
    if (active()) {
      return work.get();
    }
    return onNewThread(STACK_BYTES, () -> {
      ON_DEEP_STACK.set(true);
      return work.get();
    });
  }

  /**
   * Returns {@code work.get()}, computed on a new platform thread with {@code stackBytes} of
   * stack, and waits for it: how tests show that a limit holds on a given stack. Exceptions and
   * errors of the work are rethrown as they are.
   */
  public static <T> T onNewThread(long stackBytes, Supplier<T> work) {
    Object[] result = new Object[1];
    Throwable[] failure = new Throwable[1];
    Thread t = new Thread(null, () -> {
      try {
        result[0] = work.get();
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, "cedar-stack-" + stackBytes / 1024 + "k", stackBytes);
    t.setDaemon(true);
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        // The work cannot be abandoned half-way (it owns the caller's parser state): finish it.
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure[0] instanceof RuntimeException re) {
      throw re;
    }
    if (failure[0] instanceof Error err) {
      throw err;
    }
    if (failure[0] != null) {
      throw new IllegalStateException(failure[0]);
    }
    @SuppressWarnings("unchecked")
    T r = (T) result[0];
    return r;
  }
}
