package dev.gatehouse.server.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes log lines to standard output from one background thread that wakes on a timer, a batch
 * of lines per write. It replaces logback's {@code AsyncAppender} in front of a {@code
 * ConsoleAppender}, which cost a token request about 60 µs of CPU with the access log on (the
 * default), as much as issuing the token: the async worker waited on its queue, so nearly every
 * line's offer woke it (a futex call and a context switch on the request thread), and the console
 * appender then wrote and flushed each line with its own system call ({@code System.out} flushes
 * on every write).
 *
 * <p>A request thread renders nothing: it offers the event to a bounded queue (a full queue drops
 * the line and counts it, like the async appender with {@code neverBlock}; the next batch says how
 * many were dropped). Lines reach the output within {@link #LINGER_NANOS}; a warning or an error
 * wakes the writer at once. What is queued is written when logback stops (the server's shutdown
 * hook stops it) and at JVM exit.
 */
public final class BatchedConsoleAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

  /** How long the writer sleeps between batches. */
  static final long LINGER_NANOS = 20_000_000L;

  private Encoder<ILoggingEvent> encoder;
  private int queueSize = 8192;
  private ArrayBlockingQueue<ILoggingEvent> queue;
  private final AtomicLong dropped = new AtomicLong();
  private final ReentrantLock writing = new ReentrantLock();
  private final List<ILoggingEvent> batch = new ArrayList<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
  private volatile Thread writer;

  public void setEncoder(Encoder<ILoggingEvent> encoder) {
    this.encoder = encoder;
  }

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  @Override
  public void start() {
    if (encoder == null) {
      addError("no encoder for appender " + name);
      return;
    }
    queue = new ArrayBlockingQueue<>(queueSize);
    encoder.start();
    super.start();
  }

  @Override
  protected void append(ILoggingEvent event) {
    // The MDC, the formatted message and the caller's thread name are read now, not later.
    event.prepareForDeferredProcessing();
    if (!queue.offer(event)) {
      dropped.incrementAndGet();
      return;
    }
    Thread w = writer;
    if (w == null) {
      w = startWriter();
    }
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      LockSupport.unpark(w);
    }
  }

  /** The writer thread, started by the first line (an appender the configuration defines but
   * does not use starts none). */
  private synchronized Thread startWriter() {
    if (writer == null) {
      writer = Thread.ofPlatform().daemon().name("gatehouse-log").start(this::run);
      Runtime.getRuntime().addShutdownHook(new Thread(this::write, "gatehouse-log-flush"));
    }
    return writer;
  }

  private void run() {
    while (isStarted()) {
      LockSupport.parkNanos(this, LINGER_NANOS);
      write();
    }
  }

  /** Writes what is queued, in one write to standard output. */
  private void write() {
    writing.lock();
    try {
      queue.drainTo(batch);
      long lost = dropped.getAndSet(0);
      if (batch.isEmpty() && lost == 0) {
        return;
      }
      for (ILoggingEvent e : batch) {
        buffer.writeBytes(encoder.encode(e));
      }
      if (lost > 0) {
        buffer.writeBytes(encoder.encode(new LoggingEvent(Logger.FQCN,
            ((LoggerContext) getContext()).getLogger(BatchedConsoleAppender.class), Level.WARN,
            "{} log lines dropped: the log queue was full", null, new Object[] {lost})));
      }
      PrintStream out = System.out;  // read each time: a test may have replaced it
      buffer.writeTo(out);
      out.flush();
    } catch (java.io.IOException | RuntimeException e) {
      addError("writing log lines failed", e);
    } finally {
      batch.clear();
      buffer.reset();
      writing.unlock();
    }
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    Thread w = writer;
    if (w != null) {
      LockSupport.unpark(w);
      try {
        w.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    write();
    encoder.stop();
  }
}
