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
