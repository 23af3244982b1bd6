package dev.gatehouse.server.observe;

import io.lettuce.core.event.command.CommandFailedEvent;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.lettuce.core.event.command.CommandSucceededEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;

/**
 * A client span for each Redis command sent while a traced request or task is current: named
 * after the command ({@code GET}, {@code PUBLISH}, {@code XADD}), {@code db.system.name=redis},
 * never a key or a value (keys name tenants and token hashes).
 *
 * <p>Lettuce calls {@code commandStarted} on the thread that sends the command, where the
 * OpenTelemetry context of the request is; success or failure arrive on an I/O thread, so the span
 * travels in the event's context map. Registered on Redis clients only while tracing is on: the
 * listener machinery costs an event object per command.
 */
public final class RedisSpans implements CommandListener {

  private static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system.name");
  private static final AttributeKey<String> DB_OPERATION =
      AttributeKey.stringKey("db.operation.name");
  private static final String SPAN = "gatehouse.span";

  @Override
  public void commandStarted(CommandStartedEvent event) {
    String command = event.getCommand().getType().toString();
    Span span = Spans.start(command, SpanKind.CLIENT);
    if (span.getSpanContext().isValid()) {
      span.setAttribute(DB_SYSTEM, "redis");
      span.setAttribute(DB_OPERATION, command);
      event.getContext().put(SPAN, span);
    }
  }

  @Override
  public void commandSucceeded(CommandSucceededEvent event) {
    if (event.getContext().get(SPAN) instanceof Span span) {
      span.end();
    }
  }

  @Override
  public void commandFailed(CommandFailedEvent event) {
    if (event.getContext().get(SPAN) instanceof Span span) {
      Spans.failed(span, event.getCause());
      span.end();
    }
  }
}
