package dev.gatehouse.server.http;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/** The process's file descriptors: its limit ({@code ulimit -n}, soft) and how many are open. */
final class FileDescriptors {

  private static final UnixOperatingSystemMXBean OS = unix();

  private FileDescriptors() {}

  /** The soft limit now (a getrlimit call: cheap enough for every accept); -1 when unknown. */
  static long limit() {
    return OS == null ? -1 : OS.getMaxFileDescriptorCount();
  }

  /** Open descriptors now (a listing of /proc/self/fd: once a second, not per request); -1. */
  static long open() {
    return OS == null ? -1 : OS.getOpenFileDescriptorCount();
  }

  private static UnixOperatingSystemMXBean unix() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof UnixOperatingSystemMXBean u ? u : null;
  }
}
