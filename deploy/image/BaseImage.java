import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes the image's base (the C library and the jlink'ed Java runtime) as a {@code docker save}
 * tarball that Jib takes as its {@code from} image ({@code tar://...}): the same input files give
 * the same bytes, so the image digest depends only on what goes in.
 *
 * <pre>
 * java deploy/image/BaseImage.java OUT.tar os=STAGING_DIR jre=STAGING_DIR
 * </pre>
 *
 * Each {@code name=dir} becomes one layer holding {@code dir}'s tree at the root of the image, in
 * the order given (least often changed first). Every entry is owned by root with a fixed mtime,
 * directories 0755, files 0755 if executable else 0644, symbolic links kept; two exceptions,
 * {@code tmp} (1777) and {@code var/lib/gatehouse} (the data volume: 0700, owned by the
 * non-root user {@value #UID}). Only the JDK is needed: no Docker, no Python, no tar flags that
 * differ between GNU and BSD.
 */
public final class BaseImage {
  static final int UID = 65532;
  static final long MTIME = 1; // Jib's own "epoch plus one second" for the files it adds

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: java BaseImage.java OUT.tar name=dir [name=dir ...]");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    Path work = Files.createTempDirectory(out.toAbsolutePath().getParent(), "base-image");
    List<String> diffIds = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Map<String, Path> layerFiles = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String[] nd = args[i].split("=", 2);
      Path layer = work.resolve(nd[0] + ".tar");
      String digest = writeLayer(Path.of(nd[1]), layer);
      diffIds.add("sha256:" + digest);
      names.add(nd[0]);
      layerFiles.put(digest + "/layer.tar", layer);
    }
    StringBuilder history = new StringBuilder();
    for (String n : names) {
      history.append(history.isEmpty() ? "" : ",")
          .append("{\"created\":\"1970-01-01T00:00:00Z\",\"created_by\":\"gatehouse base: ")
          .append(n).append("\"}");
    }
    String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"1970-01-01T00:00:00Z\","
        + "\"config\":{\"Env\":[\"PATH=/opt/java/bin\",\"JAVA_HOME=/opt/java\",\"LANG=C.UTF-8\"],"
        + "\"User\":\"" + UID + ":" + UID + "\"},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + quoted(diffIds) + "]},"
        + "\"history\":[" + history + "]}";
    byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
    String configName = sha256(configBytes) + ".json";
    String manifest = "[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"gatehouse-base:local\"],"
        + "\"Layers\":[" + quoted(new ArrayList<>(layerFiles.keySet())) + "]}]";

    try (OutputStream os = Files.newOutputStream(out)) {
      Tar tar = new Tar(os);
      tar.bytes(configName, configBytes, 0644, 0);
      for (Map.Entry<String, Path> e : layerFiles.entrySet()) {
        tar.dir(e.getKey().substring(0, e.getKey().indexOf('/')), 0755, 0);
        tar.file(e.getKey(), e.getValue(), 0644, 0);
      }
      tar.bytes("manifest.json", manifest.getBytes(StandardCharsets.UTF_8), 0644, 0);
      tar.finish();
    }
    for (Path p : layerFiles.values()) {
      Files.delete(p);
    }
    Files.delete(work);
    System.out.println(String.join(" ", diffIds));
  }

  private static String quoted(List<String> items) {
    return String.join(",", items.stream().map(s -> "\"" + s + "\"").toList());
  }

  /** Writes {@code root}'s tree as a layer; returns its sha256 (the layer's diff id). */
  private static String writeLayer(Path root, Path layer) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (OutputStream os = new DigestOutputStream(Files.newOutputStream(layer), sha)) {
      Tar tar = new Tar(os);
      List<Path> entries;
      try (Stream<Path> walk = Files.walk(root)) {
        entries = walk.filter(p -> !p.equals(root))
            .sorted((a, b) -> root.relativize(a).toString().compareTo(root.relativize(b).toString()))
            .toList();
      }
      for (Path p : entries) {
        String name = root.relativize(p).toString();
        int uid = name.equals("var/lib/gatehouse") ? UID : 0;
        if (Files.isSymbolicLink(p)) {
          tar.symlink(name, Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          int mode = name.equals("tmp") ? 01777 : uid == UID ? 0700 : 0755;
          tar.dir(name, mode, uid);
        } else {
          Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
          tar.file(name, p, perms.contains(PosixFilePermission.OWNER_EXECUTE) ? 0755 : 0644, uid);
        }
      }
      tar.finish();
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  /** A ustar writer: names up to 255 bytes (prefix + name), no extended headers needed. */
  static final class Tar {
    private final OutputStream out;

    Tar(OutputStream out) {
      this.out = out;
    }

    void dir(String name, int mode, int uid) throws IOException {
      header(name + "/", 0, mode, uid, '5', "");
    }

    void symlink(String name, String target) throws IOException {
      header(name, 0, 0777, 0, '2', target);
    }

    void file(String name, Path file, int mode, int uid) throws IOException {
      long size = Files.size(file);
      header(name, size, mode, uid, '0', "");
      try (InputStream in = Files.newInputStream(file)) {
        in.transferTo(out);
      }
      pad(size);
    }

    void bytes(String name, byte[] data, int mode, int uid) throws IOException {
      header(name, data.length, mode, uid, '0', "");
      out.write(data);
      pad(data.length);
    }

    void finish() throws IOException {
      out.write(new byte[1024]);
      out.flush();
    }

    private void pad(long size) throws IOException {
      int rest = (int) (size % 512);
      if (rest != 0) {
        out.write(new byte[512 - rest]);
      }
    }

    private void header(String name, long size, int mode, int uid, char type, String link)
        throws IOException {
      byte[] h = new byte[512];
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      if (n.length <= 100) {
        System.arraycopy(n, 0, h, 0, n.length);
      } else {
        int cut = name.lastIndexOf('/', Math.min(name.length() - 1, 155));
        byte[] prefix = name.substring(0, cut).getBytes(StandardCharsets.UTF_8);
        byte[] rest = name.substring(cut + 1).getBytes(StandardCharsets.UTF_8);
        if (cut < 0 || prefix.length > 155 || rest.length > 100) {
          throw new IOException("name too long for ustar: " + name);
        }
        System.arraycopy(rest, 0, h, 0, rest.length);
        System.arraycopy(prefix, 0, h, 345, prefix.length);
      }
      octal(h, 100, 8, mode);
      octal(h, 108, 8, uid);
      octal(h, 116, 8, uid);
      octal(h, 124, 12, size);
      octal(h, 136, 12, MTIME);
      h[156] = (byte) type;
      byte[] l = link.getBytes(StandardCharsets.UTF_8);
      if (l.length > 100) {
        throw new IOException("link target too long: " + link);
      }
      System.arraycopy(l, 0, h, 157, l.length);
      byte[] magic = "ustar\0".getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(magic, 0, h, 257, 6);
      h[263] = '0';
      h[264] = '0';
      for (int i = 148; i < 156; i++) {
        h[i] = ' ';
      }
      long sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      octal(h, 148, 7, sum);
      out.write(h);
    }

    private static void octal(byte[] h, int off, int len, long value) {
      String s = Long.toOctalString(value);
      String padded = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
      byte[] b = padded.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(b, 0, h, off, b.length);
    }
  }

  private BaseImage() {}
}
