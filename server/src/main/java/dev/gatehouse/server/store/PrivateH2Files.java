package dev.gatehouse.server.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code jdbc:h2:gh-private:/path/db}) that creates every file of the database
 * readable by the server's user only (0600) and every directory 0700: the database file, trace
 * files, temporary result files and the lock file, whatever the process umask.
 *
 * <p>Java cannot set the umask, and H2 creates files with the default permissions (0644 under the
 * usual umask 022): the database, with its hashes and encrypted keys, was readable by every local
 * user. Here a file H2 is about to create is created first, empty, with the POSIX permissions as
 * an attribute of the creation, so it is never readable by others, not even for an instant; H2
 * then opens the existing file. On a file system without POSIX permissions it does what H2 does.
 */
public final class PrivateH2Files extends FilePathWrapper {

  /** The scheme of this file system in an H2 URL. */
  public static final String SCHEME = "gh-private";

  static {
    FilePath.register(new PrivateH2Files());
  }

  /** Registers the file system with H2 (once; later calls do nothing). */
  public static void register() {
    // The static initialiser does it.
  }

  /**
   * An H2 file database URL ({@code jdbc:h2:file:/x/db;...}, {@code jdbc:h2:./db}, {@code
   * jdbc:h2:~/db}) as {@code jdbc:h2:gh-private:/x/db;...}, with the path made absolute (H2 refuses
   * relative paths behind a file system prefix); other URLs (in memory, server mode, PostgreSQL)
   * unchanged.
   */
  public static String privateUrl(String jdbcUrl) {
    String h2 = "jdbc:h2:";
    if (!jdbcUrl.startsWith(h2)) {
      return jdbcUrl;
    }
    String rest = jdbcUrl.substring(h2.length());
    int semi = rest.indexOf(';');
    String name = semi < 0 ? rest : rest.substring(0, semi);
    String settings = semi < 0 ? "" : rest.substring(semi);
    if (name.startsWith("file:")) {
      name = name.substring("file:".length());
    } else if (name.matches("[A-Za-z][A-Za-z0-9-]+:.*")) {
      return jdbcUrl;  // mem:, tcp:, ssl:, or another file system
    }
    if (name.startsWith("~")) {
      name = System.getProperty("user.home") + name.substring(1);
    }
    Path path = Path.of(name);
    if (!path.isAbsolute()) {
      if (!name.startsWith("./") && !name.startsWith("../")) {
        return jdbcUrl;  // implicitly relative: H2 refuses it with its own message
      }
      name = path.toAbsolutePath().normalize().toString();
    }
    return h2 + SCHEME + ":" + name + settings;
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public boolean createFile() {
    try {
      return createPrivately();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public FileChannel open(String mode) throws IOException {
    if (mode.contains("w")) {
      createPrivately();
    }
    return super.open(mode);
  }

  @Override
  public OutputStream newOutputStream(boolean append) throws IOException {
    createPrivately();
    return super.newOutputStream(append);
  }

  @Override
  public void createDirectory() {
    try {
      Files.createDirectory(path(), PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException | IOException e) {
      super.createDirectory();
    }
  }

  @Override
  public FilePath createTempFile(String suffix, boolean inTempDir) throws IOException {
    FilePath temp = super.createTempFile(suffix, inTempDir);
    DataDirectory.restrict(Path.of(plain(temp.unwrap().name)), false);
    return temp;
  }

  /** Creates the file 0600 when it does not exist; true when this call created it. */
  private boolean createPrivately() throws IOException {
    Path p = path();
    try {
      Files.createFile(p, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (UnsupportedOperationException e) {
      return getBase().createFile();
    }
  }

  private Path path() {
    return Path.of(plain(getBase().name));
  }

  private static String plain(String name) {
    return name.startsWith("file:") ? name.substring(5) : name;
  }
}
