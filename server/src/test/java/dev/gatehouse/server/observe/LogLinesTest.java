package dev.gatehouse.server.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.server.events.SecurityLog;
import dev.gatehouse.server.testing.TestDatabase;
import dev.gatehouse.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The log a person and a pipeline read: the access log said only {@code GET /t/{tenant}/jwks 200},
 * security events were a {@code k=v} string inside the message, there was no text format for a
 * terminal, and a stopping node said nothing.
 */
class LogLinesTest {

  /** Records {@code name}'s events at INFO and above while {@code body} runs. */
  private static ListAppender<ILoggingEvent> capture(String name, Runnable body) {
    return capture(name, body, e -> true);
  }

  /**
   * Records {@code name}'s events while {@code body} runs and until one matches {@code awaited}
   * (at most 5 s): the access line is written after the response has been sent.
   */
  private static ListAppender<ILoggingEvent> capture(String name, Runnable body,
      java.util.function.Predicate<ILoggingEvent> awaited) {
    Logger logger = (Logger) LoggerFactory.getLogger(name);
    Level old = logger.getLevel();
    ListAppender<ILoggingEvent> list = new ListAppender<>();
    list.start();
    logger.addAppender(list);
    logger.setLevel(Level.INFO);
    try {
      body.run();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (List.copyOf(list.list).stream().noneMatch(awaited) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        Thread.yield();
      }
    } finally {
      logger.detachAppender(list);
      logger.setLevel(old);
    }
    return list;
  }

  private static Map<String, Object> fields(ILoggingEvent e) {
    return e.getKeyValuePairs() == null ? Map.of() : e.getKeyValuePairs().stream()
        .collect(Collectors.toMap(kv -> kv.key, kv -> kv.value, (a, b) -> b));
  }

  @Test
  void accessLogWhenTenantRequestThenTenantClientAddressAndUserAgentAsFields() {
    try (TestServer server = TestServer.start(TestDatabase.H2)) {
      ListAppender<ILoggingEvent> lines = capture("dev.gatehouse.access", () ->
          server.send(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/t/system/jwks"))
              .header("User-Agent", "first-hour/1.0").build()),
          e -> e.getFormattedMessage().contains("/t/{tenant}/jwks"));
      ILoggingEvent line = lines.list.stream()
          .filter(e -> e.getFormattedMessage().contains("/t/{tenant}/jwks")).findFirst()
          .orElseThrow();
      assertThat(line.getFormattedMessage()).startsWith("GET /t/{tenant}/jwks 200 ");
      assertThat(fields(line)).containsEntry("tenant", "system")
          .containsEntry("client", "127.0.0.1").containsEntry("user_agent", "first-hour/1.0");
    }
  }

  @Test
  void securityEventWhenLoggedThenTypeTenantAndDetailsAreFields() {
    ListAppender<ILoggingEvent> lines = capture("security-test", () -> SecurityLog.event(
        LoggerFactory.getLogger("security-test"), "login.failed", "acme",
        Map.of("reason", "bad_password", "ip", "192.0.2.1")));
    ILoggingEvent line = lines.list.get(0);
    assertThat(line.getFormattedMessage()).isEqualTo("security event login.failed");
    assertThat(fields(line)).containsEntry("event", "login.failed")
        .containsEntry("tenant", "acme").containsEntry("reason", "bad_password")
        .containsEntry("ip", "192.0.2.1");
  }

  @Test
  void closeWhenNodeStopsThenStoppingAndStoppedAndNoWarning() {
    TestServer server = TestServer.start(TestDatabase.H2);
    ListAppender<ILoggingEvent> lines = capture("dev.gatehouse.server", server::close);
    assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(m -> m.startsWith("gatehouse stopping"))
        .contains("gatehouse stopped");
    assertThat(lines.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).isEmpty();
  }

  @Test
  void productionConfigWhenTextFormatChosenThenReadableLineWithFields() throws Exception {
    String text = render("text");
    assertThat(text).contains("INFO ").contains("access").contains("GET /t/{tenant}/jwks 200 5us")
        .contains("tenant=\"acme\"").doesNotContain("{\"");
    String json = render("json");
    assertThat(json).startsWith("{").contains("\"formattedMessage\":\"GET \\/t\\/{tenant}\\/jwks")
        .contains("\"tenant\"").contains("acme");
  }

  /** One access line through server/src/main/resources/logback.xml in {@code format}. */
  private static String render(String format) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      LoggerContext ctx = new LoggerContext();
      ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
      ctx.putProperty("GATEHOUSE_LOG_FORMAT", format);
      JoranConfigurator config = new JoranConfigurator();
      config.setContext(ctx);
      config.doConfigure(LogLinesTest.class.getResource("/logback.xml"));
      ctx.getLogger("dev.gatehouse.access").atInfo().setMessage("GET /t/{tenant}/jwks 200 5us")
          .addKeyValue("tenant", "acme").log();
      ctx.stop();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
