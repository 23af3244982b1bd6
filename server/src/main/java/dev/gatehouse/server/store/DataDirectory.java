package dev.gatehouse.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory: H2 database, master key, bootstrap admin credentials. It is created 0700;
 * at start a directory or file in it that others may read or write is tightened (0700 / 0600) with
 * a warning, so that an installation made before this rule, or a file copied in, is not left open.
 * New H2 files are created private by {@link PrivateH2Files}; the key files by their writers.
 */
public final class DataDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private DataDirectory() {}

  /** Creates {@code dir} (0700) or tightens it and everything in it. */
  public static void prepare(Path dir) {
    try {
      if (!Files.exists(dir)) {
        try {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
              PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
          Files.createDirectories(dir);
        }
        return;
      }
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) all::iterator) {
          if (!Files.isSymbolicLink(p)) {
            restrict(p, true);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes group and other permissions from {@code p}; logs it when {@code warn}. */
  static void restrict(Path p, boolean warn) throws IOException {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(p);
    } catch (UnsupportedOperationException e) {
      return;  // no POSIX permissions on this file system
    }
    if (perms.stream().noneMatch(OTHERS::contains)) {
      return;
    }
    Set<PosixFilePermission> mine = EnumSet.copyOf(perms);
    mine.removeAll(OTHERS);
    Files.setPosixFilePermissions(p, mine);
    if (warn) {
      LOG.warn("event=data_permissions_tightened path={} was={} now={}", p,
          PosixFilePermissions.toString(perms), PosixFilePermissions.toString(mine));
    }
  }
}
