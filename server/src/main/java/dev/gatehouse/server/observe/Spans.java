package dev.gatehouse.server.observe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * Spans inside a traced request or background task: children of the current span, started with
 * the tracer of the node that runs it ({@link Tracing}).
 *
 * <p>While tracing is off, or outside any traced work, {@link #start} returns {@link
 * Span#getInvalid()} after one thread-local read, and the span's methods do nothing: call sites
 * stay on the hot path without a cost. Attributes whose value takes work to compute are set under
 * {@code if (span.isRecording())}.
 *
 * <pre>{@code
 * Span span = Spans.start("gatehouse.jwt.sign");
 * try (Scope scope = Spans.enter(span)) {   // only when what runs inside has spans of its own
 *   ...
 * } catch (RuntimeException e) {
 *   throw Spans.failed(span, e);
 * } finally {
 *   span.end();
 * }
 * }</pre>
 */
public final class Spans {

  private Spans() {}

  /** An internal span, child of the current one. */
  public static Span start(String name) {
    return start(name, SpanKind.INTERNAL);
  }

  /** A span of {@code kind}, child of the current one. */
  public static Span start(String name, SpanKind kind) {
    Context current = Context.current();
    Tracer tracer = current.get(Tracing.TRACER);
    if (tracer == null) {
      return Span.getInvalid();
    }
    return tracer.spanBuilder(name).setParent(current).setSpanKind(kind).startSpan();
  }

  /** Makes {@code span} current until the scope closes; nothing for the invalid span. */
  public static Scope enter(Span span) {
    if (!span.getSpanContext().isValid()) {
      return Scope.noop();
    }
    return Context.current().with(span).makeCurrent();
  }

  /** Marks {@code span} failed with the exception's class (never its message) and returns it. */
  public static <E extends Throwable> E failed(Span span, E e) {
    if (span.isRecording()) {
      span.setStatus(StatusCode.ERROR);
      span.setAttribute(Tracing.ERROR_TYPE, e.getClass().getName());
    }
    return e;
  }

  /** A string attribute key (constants at the call site: no key is built per span). */
  public static AttributeKey<String> key(String name) {
    return AttributeKey.stringKey(name);
  }

  /** A long attribute key. */
  public static AttributeKey<Long> longKey(String name) {
    return AttributeKey.longKey(name);
  }
}
