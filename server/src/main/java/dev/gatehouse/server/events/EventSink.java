package dev.gatehouse.server.events;

import java.util.List;

/** Where a feature writes its events: the write side of the {@link EventOutbox}. */
@FunctionalInterface
public interface EventSink {

  /** Appends events, in one batch. */
  void append(List<EventOutbox.Event> events);
}
