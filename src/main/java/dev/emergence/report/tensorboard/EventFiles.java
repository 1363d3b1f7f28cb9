package dev.emergence.report.tensorboard;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.HistogramProto;
import org.tensorflow.proto.Summary;

/**
 * Reads TensorBoard event files back: TFRecord framing (little-endian uint64 length, masked CRC32C
 * of the length, the record, masked CRC32C of the record) with both checksums checked, each record
 * an {@code org.tensorflow.proto.Event}. A file that ends inside a record (a writer killed
 * mid-write) reads up to its last whole record and says so ({@link Log#truncated()}); a checksum
 * that does not match fails.
 */
public final class EventFiles {
  private static final int MASK_DELTA = 0xa282ead8;

  private EventFiles() {}

  /** One scalar: its step, value (float32 as TensorFlow stores it) and wall time (seconds). */
  public record Scalar(String tag, long step, double value, double wallTime) {}

  /** One histogram. */
  public record Histogram(String tag, long step, HistogramProto histogram) {}

  /** The events of one directory's event files, in file (name) order then record order. */
  public record Log(List<Path> files, List<Event> events, boolean truncated) {
    /** The file_version of the first event ({@code brain.Event:2}), or null. */
    public String fileVersion() {
      return events.stream()
          .filter(Event::hasFileVersion)
          .map(Event::getFileVersion)
          .findFirst()
          .orElse(null);
    }

    /** Every tag, in order of first appearance. */
    public Set<String> tags() {
      Set<String> tags = new LinkedHashSet<>();
      for (Event e : events) {
        for (Summary.Value v : e.getSummary().getValueList()) {
          tags.add(v.getTag());
        }
      }
      return tags;
    }

    /** Every scalar of every tag. */
    public List<Scalar> scalars() {
      List<Scalar> out = new ArrayList<>();
      for (Event e : events) {
        for (Summary.Value v : e.getSummary().getValueList()) {
          if (v.getValueCase() == Summary.Value.ValueCase.SIMPLE_VALUE) {
            out.add(new Scalar(v.getTag(), e.getStep(), v.getSimpleValue(), e.getWallTime()));
          } else if (v.getValueCase() == Summary.Value.ValueCase.TENSOR
              && v.getTensor().getTensorShape().getDimCount() == 0) {
            var t = v.getTensor();
            double value =
                t.getFloatValCount() > 0
                    ? t.getFloatVal(0)
                    : t.getDoubleValCount() > 0 ? t.getDoubleVal(0) : Double.NaN;
            if (!Double.isNaN(value)) {
              out.add(new Scalar(v.getTag(), e.getStep(), value, e.getWallTime()));
            }
          }
        }
      }
      return out;
    }

    /** The scalars of one tag, in order. */
    public List<Scalar> scalars(String tag) {
      return scalars().stream().filter(s -> s.tag().equals(tag)).toList();
    }

    /** The histograms of one tag, in order. */
    public List<Histogram> histograms(String tag) {
      List<Histogram> out = new ArrayList<>();
      for (Event e : events) {
        for (Summary.Value v : e.getSummary().getValueList()) {
          if (v.getTag().equals(tag) && v.getValueCase() == Summary.Value.ValueCase.HISTO) {
            out.add(new Histogram(tag, e.getStep(), v.getHisto()));
          }
        }
      }
      return out;
    }
  }

  /**
   * The event files of a directory ({@code *tfevents*}, not its sub-directories), sorted by name.
   */
  public static List<Path> files(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(
              p -> p.getFileName().toString().contains("tfevents") && Files.isRegularFile(p))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Reads every event file of a directory, or one file. */
  public static Log read(Path dirOrFile) {
    List<Path> files = Files.isDirectory(dirOrFile) ? files(dirOrFile) : List.of(dirOrFile);
    List<Event> events = new ArrayList<>();
    boolean truncated = false;
    for (Path file : files) {
      try {
        byte[] bytes = Files.readAllBytes(file);
        List<byte[]> records = new ArrayList<>();
        truncated |= records(bytes, file, records);
        for (byte[] r : records) {
          events.add(Event.parseFrom(r));
        }
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException(
            file + " has a record that is no Event: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return new Log(List.copyOf(files), Collections.unmodifiableList(events), truncated);
  }

  /** The records of one TFRecord file. */
  public static List<byte[]> records(Path file) {
    try {
      List<byte[]> out = new ArrayList<>();
      records(Files.readAllBytes(file), file, out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Adds the whole records of {@code bytes} to {@code out}; true if the data ends inside a record.
   */
  static boolean records(byte[] bytes, Object source, List<byte[]> out) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    while (in.hasRemaining()) {
      int start = in.position();
      if (in.remaining() < 12) {
        return true;
      }
      long length = in.getLong();
      int lengthCrc = in.getInt();
      if (lengthCrc != maskedCrc32c(bytes, start, 8)) {
        throw new IllegalStateException(
            source + ": bad length checksum of the record at byte " + start);
      }
      if (length < 0 || length > in.remaining() - 4L) {
        return true;
      }
      byte[] data = new byte[(int) length];
      in.get(data);
      int dataCrc = in.getInt();
      if (dataCrc != maskedCrc32c(data, 0, data.length)) {
        throw new IllegalStateException(
            source + ": bad data checksum of the record at byte " + start);
      }
      out.add(data);
    }
    return false;
  }

  /** TFRecord's masked CRC32C: rotate right by 15 bits, add 0xa282ead8. */
  public static int maskedCrc32c(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }
}
