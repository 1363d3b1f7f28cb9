package dev.emergence.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Preconditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where one run leaves its record: {@code config.json} (everything needed to rerun it, with the git
 * commit), {@code state.json} (running, done, failed, diverged or stopped), {@code metrics.jsonl}
 * (one JSON object per evaluation) and {@code result.json} (the outcome). Config, state and result
 * are written atomically; metrics are appended line by line. A directory that already holds a run
 * is never reused silently: a command resumes it only when told {@code --resume}, replaces it only
 * when told {@code --overwrite}, and otherwise refuses before any work starts.
 */
public final class RunDirectory {
  public static final String CONFIG = "config.json";
  public static final String STATE = "state.json";
  public static final String METRICS = "metrics.jsonl";
  public static final String RESULT = "result.json";

  /** What to do when the directory already holds files. */
  public enum Reuse {
    /** Refuse a non-empty directory. */
    REFUSE,
    /** Delete the earlier run's files first (only in a directory that holds a run). */
    OVERWRITE,
    /** Keep what is there: the command continues the earlier run. */
    RESUME
  }

  /** What {@code state.json} holds. {@code step} is the last step (or cell) reached, when known. */
  public record State(String state, String reason, Long step, String updated) {}

  /**
   * A run's training diverged (a NaN or exploding loss) at {@code step}: the run ends diverged, not
   * failed.
   */
  public static final class Diverged extends IllegalStateException {
    private final long step;

    public Diverged(String reason, long step) {
      super(reason);
      this.step = step;
    }

    public long step() {
      return step;
    }
  }

  /**
   * A run stopped on request (a signal: see {@link StopSignal}) at {@code step}, after saving what
   * it had; {@code --resume} continues it. The process exits with {@code exitStatus} (143 for
   * SIGTERM, 130 for SIGINT).
   */
  public static final class Stopped extends RuntimeException {
    private final long step;
    private final String signal;
    private final int exitStatus;

    public Stopped(long step, String signal, int exitStatus) {
      super("stopped by SIG" + signal + " at step " + step + "; --resume continues the run");
      this.step = step;
      this.signal = signal;
      this.exitStatus = exitStatus;
    }

    public long step() {
      return step;
    }

    public String signal() {
      return signal;
    }

    public int exitStatus() {
      return exitStatus;
    }
  }

  private final Path root;

  private RunDirectory(Path root) {
    this.root = root;
  }

  /** A fresh run directory: created if missing, refused if it already holds files. */
  public static RunDirectory create(Path root) {
    return open(root, Reuse.REFUSE, false);
  }

  /**
   * Opens {@code root} for a run. With {@link Reuse#REFUSE} a non-empty directory is refused with
   * one line naming the options that would reuse it ({@code --resume} only where {@code
   * resumable}).
   */
  public static RunDirectory open(Path root, Reuse reuse, boolean resumable) {
    Preconditions.checkArgument(
        !Files.exists(root) || Files.isDirectory(root),
        "--out %s is a file; expected a directory",
        root);
    List<String> present = contents(root);
    if (!present.isEmpty()) {
      switch (reuse) {
        case REFUSE ->
            throw new IllegalArgumentException(
                "run directory "
                    + root
                    + " is not empty ("
                    + String.join(", ", present)
                    + "); pass "
                    + (resumable ? "--resume to continue that run, " : "")
                    + "--overwrite to replace it, or choose another --out");
        case OVERWRITE -> {
          Preconditions.checkArgument(
              present.contains(CONFIG) || present.contains(STATE),
              "refusing to overwrite %s: it holds no %s or %s, so it is not a run directory",
              root,
              CONFIG,
              STATE);
          clear(root);
        }
        case RESUME -> {}
      }
    }
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot create run directory " + root + ": " + IoErrors.describe(e), e);
    }
    Preconditions.checkArgument(
        Files.isWritable(root), "cannot write to run directory %s: permission denied", root);
    return new RunDirectory(root);
  }

  public Path root() {
    return root;
  }

  public Path resolve(String name) {
    return root.resolve(name);
  }

  /**
   * The lifecycle of a run: {@code config.json} and the state running, then the body; its result is
   * written as {@code result.json} and the run marked done. A body that throws marks the run
   * diverged ({@link Diverged}), stopped ({@link Stopped}) or failed, with the exception's one-line
   * reason, and the exception goes on.
   */
  public <R> R run(Object config, Supplier<R> body) {
    start(config);
    R result;
    try {
      result = body.get();
    } catch (RuntimeException | Error e) {
      ended(e);
      throw e;
    }
    finish(result);
    return result;
  }

  /**
   * The lifecycle of runs that share one body, as the members of a stack do: each run starts with
   * its config; the body ends each run as its member ends ({@link #finish}, {@link #diverged});
   * when the body throws, every run still running fails (or is stopped, on {@link Stopped}) with
   * the exception's one-line reason.
   */
  public static <R> R runEach(List<RunDirectory> runs, List<?> configs, Supplier<R> body) {
    Preconditions.checkArgument(
        runs.size() == configs.size(), "%s runs, %s configs", runs.size(), configs.size());
    for (int i = 0; i < runs.size(); i++) {
      runs.get(i).start(configs.get(i));
    }
    try {
      return body.get();
    } catch (RuntimeException | Error e) {
      for (RunDirectory run : runs) {
        State state = run.state();
        if (state == null || state.state().equals("running")) {
          if (e instanceof Stopped stopped) {
            run.stopped(stopped);
          } else {
            run.fail(oneLine(e)); // a member's own divergence was recorded by the body
          }
        }
      }
      throw e;
    }
  }

  /**
   * The first line of an exception's message (or its class name when it has none): the reason a
   * failed run records.
   */
  public static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /**
   * Writes {@code config.json} (the config plus the code's commit) and marks the run as running.
   */
  public void start(Object config) {
    writeConfig(config);
    writeState("running", null, null);
  }

  /** {@code config.json}: the config's fields plus {@code git_commit} and {@code git_dirty}. */
  public void writeConfig(Object config) {
    ObjectNode node = Json.mapper().valueToTree(config);
    Provenance code = Provenance.current();
    node.put("git_commit", code.commit());
    node.put("git_dirty", code.dirty());
    Json.write(root.resolve(CONFIG), node);
  }

  /** Writes {@code result.json}, then marks the run done: a done state always has its result. */
  public void finish(Object result) {
    writeResult(result);
    writeState("done", null, null);
  }

  public void writeResult(Object result) {
    Json.write(root.resolve(RESULT), result);
  }

  /** Marks the run failed with a one-line reason. */
  public void fail(String reason) {
    writeState("failed", reason, null);
  }

  /** Marks the run diverged (a NaN or exploding loss) at {@code step}. */
  public void diverged(String reason, long step) {
    writeState("diverged", reason, step);
  }

  /**
   * Records why a run's body ended by an exception: diverged ({@link Diverged}), stopped ({@link
   * Stopped}) or failed, with the exception's one-line reason.
   */
  public void ended(Throwable e) {
    if (e instanceof Diverged d) {
      diverged(d.getMessage(), d.step());
    } else if (e instanceof Stopped stopped) {
      stopped(stopped);
    } else {
      fail(oneLine(e));
    }
  }

  /** Marks the run stopped (by a signal, with what it had saved) at the exception's step. */
  public void stopped(Stopped e) {
    writeState("stopped", e.getMessage(), e.step());
  }

  /** Rewrites {@code state.json} atomically. */
  public void writeState(String state, String reason, Long step) {
    Json.write(root.resolve(STATE), new State(state, reason, step, Instant.now().toString()));
  }

  /** The recorded state, or null when the directory has none. */
  public State state() {
    Path file = root.resolve(STATE);
    return Files.exists(file) ? Json.read(file, State.class) : null;
  }

  /**
   * Drops the lines of {@code metrics.jsonl} after {@code step} (a resumed run writes them again).
   */
  public void keepMetricsUpTo(long step) {
    Path file = root.resolve(METRICS);
    if (!Files.exists(file)) {
      return;
    }
    try {
      StringBuilder kept = new StringBuilder();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && Json.mapper().readTree(line).get("step").asLong() <= step) {
          kept.append(line).append('\n');
        }
      }
      AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + IoErrors.describe(e), e);
    }
  }

  public void appendMetrics(Object metrics) {
    try {
      Files.writeString(
          root.resolve(METRICS),
          Json.line(metrics) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot append to " + root.resolve(METRICS) + ": " + IoErrors.describe(e), e);
    }
  }

  private static List<String> contents(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(root)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read run directory " + root + ": " + IoErrors.describe(e), e);
    }
  }

  private static void clear(Path root) {
    try (Stream<Path> files = Files.list(root)) {
      for (Path p : files.toList()) {
        AtomicFiles.deleteRecursively(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot clear run directory " + root + ": " + IoErrors.describe(e), e);
    }
  }
}
