package dev.emergence.experiments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.emergence.listops.Dataset;
import dev.emergence.listops.DatasetBuilder;
import dev.emergence.listops.DatasetSpec;
import dev.emergence.listops.EncodedBatch;
import dev.emergence.listops.Example;
import dev.emergence.listops.Generator;
import dev.emergence.listops.GeneratorConfig;
import dev.emergence.listops.Mix;
import dev.emergence.listops.Tokenizer;
import java.util.SplittableRandom;

/**
 * Generator throughput: raw draws, a full dataset build (held-out sets plus 1,000,000 training
 * examples filtered against them), and encoding the training split into batches. Prints one JSON
 * object. Usage: ListOpsGeneratorBench [examples] [mix].
 */
public final class ListOpsGeneratorBench {
  private ListOpsGeneratorBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    GeneratorConfig config =
        GeneratorConfig.defaults(Mix.parse(args.length > 1 ? args[1] : "MAX,MED,SUM"));
    DatasetSpec spec = new DatasetSpec(n, 2000, 2000);
    DatasetBuilder.build(config, new DatasetSpec(n / 10, 2000, 2000), 1); // warm-up

    Generator generator = new Generator(config);
    SplittableRandom random = new SplittableRandom(0);
    long checksum = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Example e = generator.next(random);
      checksum += e.answer() + e.expression().length();
    }
    double rawSeconds = (System.nanoTime() - t0) / 1e9;

    long t1 = System.nanoTime();
    Dataset dataset = DatasetBuilder.build(config, spec, 0);
    double buildSeconds = (System.nanoTime() - t1) / 1e9;

    Tokenizer tokenizer = new Tokenizer(config.modulus());
    int length = tokenizer.maxSequenceLength(dataset.train(), false);
    int batch = 256;
    long t2 = System.nanoTime();
    for (int from = 0; from + batch <= dataset.train().size(); from += batch) {
      EncodedBatch b = tokenizer.encode(dataset.train(), from, batch, length, false);
      checksum += b.ids()[0];
    }
    double encodeSeconds = (System.nanoTime() - t2) / 1e9;

    ObjectNode out = new ObjectMapper().createObjectNode();
    out.put("examples", n);
    out.put("mix", config.mix().toString());
    out.put("depth", config.maxDepth());
    out.put("arity", config.arity().toString());
    out.put("generate_s", round(rawSeconds));
    out.put("generate_examples_per_s", Math.round(n / rawSeconds));
    out.put("dataset_build_s", round(buildSeconds));
    out.put("dataset_examples_per_s", Math.round(n / buildSeconds));
    out.put("encode_s", round(encodeSeconds));
    out.put("encode_examples_per_s", Math.round(n / encodeSeconds));
    out.put("sequence_length", length);
    out.put("checksum", checksum);
    System.out.println(out);
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}
