package dev.gatehouse.cedar.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * A conformance corpus shipped as a gzip-compressed tar archive (the way cedar-integration-tests
 * ships its {@code corpus-tests.tar.gz}), unpacked into a folder the runner can read.
 *
 * <p>Only what such an archive needs is read: POSIX ustar entries (regular files and folders,
 * names up to 255 bytes with the prefix field). The folder is rebuilt only when the archive
 * changed (its SHA-256 is recorded in a marker written last, so a half-unpacked folder is never
 * taken for a complete one), and a file lock keeps concurrent test JVMs from unpacking into the
 * same folder at once. An entry whose name leaves the folder ({@code ..}, absolute) is refused.
 */
public final class CorpusArchive {
  private static final int BLOCK = 512;
  private static final String MARKER = ".unpacked-sha256";

  private CorpusArchive() {}

  /**
   * Returns {@code dir}, holding the contents of {@code archive} (a {@code .tar.gz}); unpacks it
   * first unless {@code dir} already holds this exact archive.
   */
  public static Path unpacked(Path archive, Path dir) {
    try {
      byte[] bytes = Files.readAllBytes(archive);
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      Path parent = dir.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path lockFile = parent.resolve(dir.getFileName() + ".lock");
      try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        Path marker = dir.resolve(MARKER);
        if (Files.isRegularFile(marker) && Files.readString(marker).equals(sha)) {
          return dir;
        }
        deleteTree(dir);
        Files.createDirectories(dir);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
          untar(in, dir.toAbsolutePath().normalize());
        }
        Files.writeString(marker, sha);
        return dir;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the corpus archive `" + archive + "`", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void untar(InputStream in, Path dir) throws IOException {
    byte[] header = new byte[BLOCK];
    while (in.readNBytes(header, 0, BLOCK) == BLOCK && header[0] != 0) {
      String name = field(header, 0, 100);
      String prefix = field(header, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      long size = Long.parseLong(field(header, 124, 12).strip(), 8);
      char type = (char) header[156];
      Path target = dir.resolve(name).normalize();
      if (!target.startsWith(dir)) {
        throw new IOException("archive entry `" + name + "` lies outside the folder");
      }
      if (type == '5') {
        Files.createDirectories(target);
      } else if (type == '0' || type == '\0') {
        Files.createDirectories(target.getParent());
        try (InputStream body = new BoundedStream(in, size)) {
          Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } else {
        throw new IOException("unsupported tar entry type `" + type + "` for `" + name + "`");
      }
      long padding = (BLOCK - size % BLOCK) % BLOCK;
      in.skipNBytes(padding);
    }
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** Deletes {@code dir} and everything in it, if it exists; best effort (null: nothing). */
  public static void delete(Path dir) {
    try {
      if (dir != null) {
        deleteTree(dir);
        Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".lock"));
      }
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The next {@code remaining} bytes of a stream, leaving the stream itself open. */
  private static final class BoundedStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedStream(InputStream in, long size) {
      this.in = in;
      this.remaining = size;
    }

    @Override
    public int read() throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int b = in.read();
      if (b < 0) {
        throw new IOException("archive ends inside an entry");
      }
      remaining--;
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int n = in.read(buf, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new IOException("archive ends inside an entry");
      }
      remaining -= n;
      return n;
    }
  }
}
