package dev.emergence.session;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableMap;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.proto.RewriterConfig;

/**
 * How a TensorFlow session runs: thread pools, device, and optional Grappler rewriter settings. On
 * two cores, one intra-op and one inter-op thread is fastest for the small models of the capacity
 * study.
 *
 * <p>{@code rewriter} sets fields of {@code ConfigProto.graph_options.rewrite_options} by their
 * proto names: toggles ({@code remapping}, {@code arithmetic_optimization}, {@code
 * layout_optimizer}, {@code constant_folding}, ...) take {@code ON}, {@code OFF}, {@code
 * AGGRESSIVE}, ...; booleans ({@code disable_meta_optimizer}) take {@code true}/{@code false}.
 * Empty: TensorFlow's defaults.
 */
public record SessionConfig(
    int intraOpThreads, int interOpThreads, Device device, Map<String, String> rewriter) {
  private static final String DISABLE_META_OPTIMIZER = "disable_meta_optimizer";

  public SessionConfig {
    Preconditions.checkArgument(
        intraOpThreads >= 1, "intra-op threads must be at least 1, got %s", intraOpThreads);
    Preconditions.checkArgument(
        interOpThreads >= 1, "inter-op threads must be at least 1, got %s", interOpThreads);
    Preconditions.checkNotNull(device, "device");
    rewriter = ImmutableMap.copyOf(rewriter);
    rewriterConfig(rewriter); // fails early on an unknown option or value
  }

  public SessionConfig(int intraOpThreads, int interOpThreads, Device device) {
    this(intraOpThreads, interOpThreads, device, Map.of());
  }

  public static SessionConfig cpu(int threads) {
    return new SessionConfig(threads, threads, Device.CPU);
  }

  public static SessionConfig defaults() {
    return cpu(1);
  }

  /**
   * The same config with grappler's meta-optimizer on (TensorFlow's default) or off ({@code
   * disable_meta_optimizer}: the first run skips constant folding, arithmetic and layout rewrites
   * and remapping; graph-level passes such as the oneDNN rewrite still run).
   */
  public SessionConfig withGraphOptimizer(boolean on) {
    Map<String, String> settings = new LinkedHashMap<>(rewriter);
    if (on) {
      settings.remove(DISABLE_META_OPTIMIZER);
    } else {
      settings.put(DISABLE_META_OPTIMIZER, "true");
    }
    return withRewriter(settings);
  }

  /** The same config with these rewriter settings. */
  public SessionConfig withRewriter(Map<String, String> settings) {
    return new SessionConfig(intraOpThreads, interOpThreads, device, settings);
  }

  /**
   * The rewriter options as a proto (TensorFlow's defaults for every field not named), or null when
   * no option is set. An unknown field or value fails with a message listing what is accepted.
   */
  public static RewriterConfig rewriterConfig(Map<String, String> settings) {
    if (settings.isEmpty()) {
      return null;
    }
    RewriterConfig.Builder builder = RewriterConfig.newBuilder();
    for (Map.Entry<String, String> e : settings.entrySet()) {
      FieldDescriptor field = RewriterConfig.getDescriptor().findFieldByName(e.getKey());
      Preconditions.checkArgument(
          field != null
              && !field.isRepeated()
              && (field.getType() == FieldDescriptor.Type.ENUM
                  || field.getType() == FieldDescriptor.Type.BOOL),
          "unknown rewriter option '%s': expected a toggle or boolean field of RewriterConfig (e.g. remapping, arithmetic_optimization, layout_optimizer, constant_folding, disable_meta_optimizer)",
          e.getKey());
      String value = e.getValue().trim();
      if (field.getType() == FieldDescriptor.Type.BOOL) {
        Preconditions.checkArgument(
            value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false"),
            "rewriter option %s takes true or false, got '%s'",
            e.getKey(),
            value);
        builder.setField(field, Boolean.parseBoolean(value));
      } else {
        var constant = field.getEnumType().findValueByName(value.toUpperCase(Locale.ROOT));
        Preconditions.checkArgument(
            constant != null,
            "rewriter option %s takes one of %s, got '%s'",
            e.getKey(),
            field.getEnumType().getValues().stream().map(v -> v.getName()).toList(),
            value);
        builder.setField(field, constant);
      }
    }
    return builder.build();
  }
}
