package dev.emergence.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;

/**
 * The project's one JSON mapper: records in, stable key order out. Property names are the Java
 * names unless a class says otherwise ({@code @JsonNaming}) or its package is marked {@link
 * SnakeCase}.
 */
public final class Json {
  /**
   * Marks a package (on its {@code package-info.java}) whose classes write and read their
   * properties in snake case: {@code wallSToTol} as {@code wall_s_to_tol}, {@code stage2Lr} as
   * {@code stage2_lr}. Snake case is set here once rather than on each record; it is not the
   * mapper's default because existing files of other packages (a training run's {@code
   * config.json}) keep their camel-case keys.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PACKAGE)
  public @interface SnakeCase {}

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .setAnnotationIntrospector(new SnakeCasePackages())
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  /**
   * Snake case for the classes of {@link SnakeCase} packages that do not name their own strategy.
   */
  private static final class SnakeCasePackages extends JacksonAnnotationIntrospector {
    @Override
    public Object findNamingStrategy(AnnotatedClass ac) {
      Object own = super.findNamingStrategy(ac);
      Package p = ac.getRawType().getPackage();
      return own == null && p != null && p.isAnnotationPresent(SnakeCase.class)
          ? PropertyNamingStrategies.SnakeCaseStrategy.class
          : own;
    }
  }

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** One line of JSON, for JSON-lines output. */
  public static String line(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write JSON for " + value.getClass().getSimpleName(), e);
    }
  }

  /** Indented JSON, for files people read. */
  public static String pretty(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write JSON for " + value.getClass().getSimpleName(), e);
    }
  }

  /** Writes indented JSON atomically. */
  public static void write(Path file, Object value) {
    AtomicFiles.write(file, pretty(value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public static JsonNode read(Path file) {
    try {
      return MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read JSON from " + file + ": " + e.getMessage(), e);
    }
  }

  /** One JSON value from text, such as a line of a JSON-lines log. */
  public static JsonNode parse(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: '" + text + "' (" + e.getMessage() + ")");
    }
  }

  public static <T> T read(Path file, Class<T> type) {
    try {
      return MAPPER.readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + type.getSimpleName() + " from " + file + ": " + e.getMessage(), e);
    }
  }
}
