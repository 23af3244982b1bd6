package dev.gatehouse.cedar.conformance;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small ustar {@code .tar.gz} archives for tests of {@link CorpusArchive}. */
public final class TarGzWriter implements AutoCloseable {
  private final OutputStream out;

  public TarGzWriter(Path file) throws IOException {
    this.out = new GZIPOutputStream(Files.newOutputStream(file));
  }

  /** Adds a regular file named {@code name} (used as given, even when it is not a safe path). */
  public void add(String name, byte[] body) throws IOException {
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644");
    put(header, 108, "0000000");
    put(header, 116, "0000000");
    put(header, 124, String.format("%011o", body.length));
    put(header, 136, "00000000000");
    header[156] = '0';
    put(header, 257, "ustar");
    put(header, 263, "00");
    java.util.Arrays.fill(header, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : header) {
      sum += b & 0xff;
    }
    put(header, 148, String.format("%06o", sum));
    out.write(header);
    out.write(body);
    out.write(new byte[(512 - body.length % 512) % 512]);
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] b = value.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(b, 0, header, offset, b.length);
  }

  @Override
  public void close() throws IOException {
    out.write(new byte[1024]);
    out.close();
  }
}
