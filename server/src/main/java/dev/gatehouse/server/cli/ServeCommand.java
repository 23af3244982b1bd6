package dev.gatehouse.server.cli;

import dev.gatehouse.server.Gatehouse;
import dev.gatehouse.server.config.ConfigLoader;
import dev.gatehouse.server.config.GatehouseConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code gatehouse serve}: runs a node until SIGTERM/SIGINT, then drains and stops. */
@Command(name = "serve", description = "Run the server.")
final class ServeCommand implements Callable<Integer> {

  static volatile boolean serving;

  @ParentCommand
  Main main;

  @Option(names = "--port", description = "Port to listen on (default 8080; 0 picks a free one).")
  Integer port;

  @Option(names = "--data", description = "Data directory (default ./data).")
  Path data;

  @Option(names = "--config", description = "YAML configuration file.")
  Path config;

  /**
   * Takes {@code serve}'s own options ({@code --port}, {@code --data}, {@code --config}, each as
   * {@code --x value} or {@code --x=value}) without picocli; false for anything else (a wrong
   * value, another argument), which picocli then parses and reports. Picocli's classes are
   * compiled for Java 5, so the AOT cache cannot hold them: loading them and building the
   * command's model took 0.3 s of every server start.
   */
  boolean parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      int eq = a.indexOf('=');
      String name = eq < 0 ? a : a.substring(0, eq);
      String value;
      if (eq >= 0) {
        value = a.substring(eq + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
        value = args[++i];
      } else {
        return false;
      }
      switch (name) {
        case "--port" -> {
          try {
            port = Integer.valueOf(value);
          } catch (NumberFormatException e) {
            return false;
          }
        }
        case "--data" -> data = Path.of(value);
        case "--config" -> config = Path.of(value);
        default -> {
          return false;
        }
      }
    }
    return true;
  }

  /** {@link #call}, with a failure as one line on stderr and exit code 1 (as picocli reports). */
  int run() {
    try {
      return call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (RuntimeException e) {
      System.err.println("gatehouse: " + (e.getMessage() != null ? e.getMessage()
          : e.getClass().getSimpleName()));
      return 1;
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    GatehouseConfig cfg = ConfigLoader.load(config, System.getenv());
    if (data != null || main.data != null) {
      cfg = cfg.withDataDir(data != null ? data : main.data);
    }
    if (port != null) {
      cfg = cfg.withPort(port);
    }
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    Gatehouse node = Gatehouse.start(cfg);
    serving = true;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      // The log is asynchronous: flush it, or the JVM may exit before "gatehouse stopped".
      if (org.slf4j.LoggerFactory.getILoggerFactory()
          instanceof ch.qos.logback.classic.LoggerContext logback) {
        logback.stop();
      }
      stopped.countDown();
    }, "gatehouse-shutdown"));
    stopped.await();
    return 0;
  }
}
