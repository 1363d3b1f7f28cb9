package dev.emergence.report;

import com.google.common.base.Preconditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes that are all or nothing: content goes to a temporary sibling, then is renamed over the
 * target, so a crash or a full disk never leaves a half-written result where a complete one is
 * expected. Temporary files and directories are created like ordinary ones, so what is published
 * has the permissions of the process umask.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes bytes to {@code target} atomically. */
  public static void write(Path target, byte[] content) {
    write(target, tmp -> Files.write(tmp, content));
  }

  /** Lets {@code writer} fill a temporary file, then renames it over {@code target}. */
  public static void write(Path target, Writer writer) {
    Path parent = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(parent);
      tmp = Files.createFile(temporarySibling(parent, target, ".tmp"));
      writer.write(tmp);
      move(tmp, target);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new UncheckedIOException("could not write " + target + ": " + IoErrors.describe(e), e);
    }
  }

  /**
   * Publishes a directory (a SavedModel, say) at {@code target} so that a kill at any moment leaves
   * either the complete old one or the complete new one there. {@code writer} fills a hidden
   * sibling {@code .NAME.TIMESTAMP}; then {@code target}, a symbolic link to that sibling, is
   * created or swapped in one rename, and the sibling it pointed to before is deleted. Without
   * {@code replace}, an existing target is refused; a plain directory at the target (not made here)
   * is never replaced.
   */
  public static void publishDirectory(Path target, boolean replace, Writer writer) {
    Path parent = target.toAbsolutePath().getParent();
    checkPublishable(target, replace);
    Path version = null;
    try {
      Files.createDirectories(parent);
      version = Files.createDirectory(temporarySibling(parent, target, ""));
      writer.write(version);
      Path previous =
          Files.isSymbolicLink(target) ? parent.resolve(Files.readSymbolicLink(target)) : null;
      Path link = temporarySibling(parent, target, ".link");
      Files.createSymbolicLink(link, version.getFileName());
      move(link, target);
      version = null;
      if (previous != null && !previous.equals(parent.resolve(Files.readSymbolicLink(target)))) {
        deleteQuietly(previous);
      }
    } catch (IOException e) {
      deleteQuietly(version);
      throw new UncheckedIOException("could not write " + target + ": " + IoErrors.describe(e), e);
    }
  }

  /**
   * Fails in one line, before any work, when {@link #publishDirectory} would refuse {@code target}.
   */
  public static void checkPublishable(Path target, boolean replace) {
    boolean present = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
    Preconditions.checkArgument(
        !present || replace,
        "%s already exists; pass --overwrite to replace it, or choose another path",
        target);
    Preconditions.checkArgument(
        !present || Files.isSymbolicLink(target),
        "%s is a directory this tool did not publish; move it away first (it is never replaced in place)",
        target);
  }

  /** Fills a temporary path. */
  @FunctionalInterface
  public interface Writer {
    void write(Path tmp) throws IOException;
  }

  /** A fresh hidden name beside {@code target}: {@code .NAME.TIMESTAMP-RANDOM SUFFIX}. */
  private static Path temporarySibling(Path parent, Path target, String suffix) {
    String stamp =
        LocalDateTime.now(ZoneId.systemDefault())
            .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    String random = Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
    return parent.resolve("." + target.getFileName() + "." + stamp + "-" + random + suffix);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path path) {
    if (path == null) {
      return;
    }
    try {
      deleteRecursively(path);
    } catch (IOException ignored) {
      // best effort: the temporary name never shadows a real result
    }
  }

  /** Deletes a file, a symbolic link (not what it points to) or a directory tree. */
  public static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(root);
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
