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

  /** Nesting a caller's stack is trusted with (at least 256 KiB of stack); deeper moves here. */
  public static final int INLINE_DEPTH = 32;

  /**
   * Condition depth evaluated on the caller's stack. Evaluation costs fewer frames a level than
   * parsing or validation (it held 400 levels on 256 KiB, interpreted), and it runs on every
   * decision, where a thread per call would cost more than the evaluation itself.
   */
  public static final int EVAL_INLINE_DEPTH = 200;

  private static final ThreadLocal<Boolean> ON_DEEP_STACK = ThreadLocal.withInitial(() -> false);

  /**
   * Deep work runs on at most this many threads at once (the rest waits): it is CPU-bound, and
   * callers may be countless virtual threads.
   */
  static final int MAX_THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  private static final java.util.concurrent.ThreadPoolExecutor POOL = pool();

  private static java.util.concurrent.ThreadPoolExecutor pool() {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ThreadPoolExecutor p = new java.util.concurrent.ThreadPoolExecutor(
        MAX_THREADS, MAX_THREADS, 30, java.util.concurrent.TimeUnit.SECONDS,
        new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(null, () -> {
            ON_DEEP_STACK.set(true);
            r.run();
          }, "cedar-deep-stack-" + n.incrementAndGet(), STACK_BYTES);
          t.setDaemon(true);
          return t;
        });
    p.allowCoreThreadTimeOut(true);
    return p;
  }

  private DeepStack() {}

  /** Whether {@code e} nests deeper than a caller's stack is trusted with. */
  public static boolean deep(Expr e) {
    return ExprDepth.of(e) > INLINE_DEPTH;
  }

  /** Whether a condition of one of {@code policies} nests deeper than {@link #INLINE_DEPTH}. */
  public static boolean deep(Iterable<Policy> policies) {
    return depth(policies) > INLINE_DEPTH;
  }

  /** The depth of the deepest condition of {@code policies} (0 without conditions). */
  public static int depth(Iterable<Policy> policies) {
    int max = 0;
    for (Policy p : policies) {
      for (Condition c : p.conditions()) {
        max = Math.max(max, ExprDepth.of(c.body()));
      }
    }
    return max;
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
   * Returns {@code work.get()}, computed on one of at most {@link #MAX_THREADS} pooled platform
   * threads with {@link #STACK_BYTES} of stack (on this thread if it is one already). Exceptions and errors of the work are rethrown as they are.
   */
  public static <T> T call(Supplier<T> work) {
    if (active()) {
      return work.get();
    }
    java.util.concurrent.Future<T> f = POOL.submit(work::get);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          // The work cannot be abandoned half-way (it may own the caller's parser): finish it.
          interrupted = true;
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
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
