package dev.emergence.report;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Short, human reasons for I/O failures (Java's messages often repeat the path and say nothing
 * else).
 */
public final class IoErrors {
  private IoErrors() {}

  public static String describe(Exception e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException f) {
      return "a file is in the way (" + f.getFile() + ")";
    }
    if (e instanceof NotDirectoryException n) {
      return n.getFile() + " is not a directory";
    }
    if (e instanceof NoSuchFileException n) {
      return "no such file or directory (" + n.getFile() + ")";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
