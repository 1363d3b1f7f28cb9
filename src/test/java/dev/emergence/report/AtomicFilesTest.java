package dev.emergence.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @Test
  void aFailedWriteKeepsThePreviousFileAndLeavesNoTemporary(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("result.json");
    AtomicFiles.write(target, "complete".getBytes(StandardCharsets.UTF_8));
    assertThrows(
        UncheckedIOException.class,
        () ->
            AtomicFiles.write(
                target,
                tmp -> {
                  Files.writeString(tmp, "half");
                  throw new IOException("No space left on device");
                }));
    assertEquals("complete", Files.readString(target));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(target), files.toList());
    }
  }

  @Test
  void aDirectoryIsReplacedWholeOrNotAtAll(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("model");
    AtomicFiles.publishDirectory(target, false, tmp -> Files.writeString(tmp.resolve("a"), "1"));
    assertTrue(Files.isSymbolicLink(target), "published as a link that one rename can swap");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            AtomicFiles.publishDirectory(
                target, false, tmp -> Files.writeString(tmp.resolve("b"), "2")));
    assertEquals("1", Files.readString(target.resolve("a")), "no replacement without being asked");
    AtomicFiles.publishDirectory(target, true, tmp -> Files.writeString(tmp.resolve("b"), "2"));
    assertFalse(Files.exists(target.resolve("a")), "the older export is replaced, not merged");
    assertEquals("2", Files.readString(target.resolve("b")));
    assertThrows(
        UncheckedIOException.class,
        () ->
            AtomicFiles.publishDirectory(
                target,
                true,
                tmp -> {
                  throw new IOException("disk full");
                }));
    assertEquals("2", Files.readString(target.resolve("b")));
    try (var files = Files.list(dir)) {
      assertEquals(
          List.of(target.toRealPath().getFileName().toString(), "model"),
          files.map(p -> p.getFileName().toString()).sorted().toList(),
          "the link and the one version it points to; no temporaries, no older versions");
    }
  }

  @Test
  void aDirectoryNotPublishedHereIsNeverReplaced(@TempDir Path dir) throws IOException {
    Path target = Files.createDirectory(dir.resolve("users-model"));
    Files.writeString(target.resolve("saved_model.pb"), "theirs");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AtomicFiles.publishDirectory(
                    target, true, tmp -> Files.writeString(tmp.resolve("x"), "ours")));
    assertTrue(e.getMessage().contains("never replaced in place"), e.getMessage());
    assertEquals("theirs", Files.readString(target.resolve("saved_model.pb")));
  }

  @Test
  void writtenFilesHaveTheUmasksPermissionsLikeAnyOtherFile(@TempDir Path dir) throws IOException {
    Path ordinary = Files.createFile(dir.resolve("ordinary"));
    Path atomic = dir.resolve("atomic.json");
    AtomicFiles.write(atomic, "{}".getBytes(StandardCharsets.UTF_8));
    assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(atomic));
    Path ordinaryDir = Files.createDirectory(dir.resolve("ordinary-dir"));
    Path published = dir.resolve("published");
    AtomicFiles.publishDirectory(published, false, tmp -> Files.writeString(tmp.resolve("f"), "x"));
    assertEquals(
        Files.getPosixFilePermissions(ordinaryDir),
        Files.getPosixFilePermissions(published.toRealPath()));
    assertEquals(
        Files.getPosixFilePermissions(ordinary),
        Files.getPosixFilePermissions(published.resolve("f")));
  }

  @Test
  void runDirectoryWritesConfigMetricsAndResult(@TempDir Path dir) throws IOException {
    RunDirectory run = RunDirectory.create(dir.resolve("run"));
    run.writeConfig(Map.of("seed", 7));
    run.appendMetrics(Map.of("step", 1, "loss", 2.5));
    run.appendMetrics(Map.of("step", 2, "loss", 1.5));
    run.writeResult(Map.of("params", 10));
    assertEquals(7, Json.read(run.resolve(RunDirectory.CONFIG)).get("seed").asInt());
    List<String> lines = Files.readAllLines(run.resolve(RunDirectory.METRICS));
    assertEquals(List.of("{\"loss\":2.5,\"step\":1}", "{\"loss\":1.5,\"step\":2}"), lines);
    assertTrue(Files.readString(run.resolve(RunDirectory.RESULT)).contains("\"params\" : 10"));
  }
}
