package dev.emergence.capacity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.google.common.base.Preconditions;
import dev.emergence.listops.Domain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cells of a sweep: every combination of mix, depth, chain of thought, modulus, layers, loops,
 * heads, d_model and seed, in one fixed order. Models that share a shape and a sequence layout
 * (everything but mix and seed) form one stack, trained together; a shard takes whole stacks.
 *
 * <p>A group sweep ({@code group} S3, S4 or Z6; null for the numbers of ListOps) has no modulus:
 * its only modulus is {@link Cell#NO_MODULUS}.
 */
public record SweepGrid(
    List<String> mixes,
    List<Integer> depths,
    List<Boolean> cots,
    List<Integer> moduli,
    List<Integer> layers,
    List<Integer> loops,
    List<Integer> heads,
    List<Integer> dModels,
    List<Long> seeds,
    @JsonInclude(JsonInclude.Include.NON_NULL) String group) {

  public SweepGrid {
    Preconditions.checkArgument(
        group == null || moduli.equals(List.of(Cell.NO_MODULUS)),
        "a group sweep has no modulus, got %s",
        moduli);
    for (Map.Entry<String, List<?>> axis :
        Map.<String, List<?>>of(
                "--mixes",
                mixes,
                "--depth",
                depths,
                "--cot",
                cots,
                "--modulus",
                moduli,
                "--layers",
                layers,
                "--loops",
                loops,
                "--heads",
                heads,
                "--d-models",
                dModels,
                "--seeds",
                seeds)
            .entrySet()) {
      Preconditions.checkArgument(
          !axis.getValue().isEmpty(), "%s needs at least one value", axis.getKey());
      Preconditions.checkArgument(
          axis.getValue().stream().distinct().count() == axis.getValue().size(),
          "%s repeats a value: %s",
          axis.getKey(),
          axis.getValue());
    }
    for (int d : dModels) {
      for (int h : heads) {
        Preconditions.checkArgument(
            d % h == 0,
            "d_model %s is not divisible by heads %s: each head needs d_model / heads dimensions",
            d,
            h);
      }
    }
    mixes = List.copyOf(mixes);
    depths = List.copyOf(depths);
    cots = List.copyOf(cots);
    moduli = List.copyOf(moduli);
    layers = List.copyOf(layers);
    loops = List.copyOf(loops);
    heads = List.copyOf(heads);
    dModels = List.copyOf(dModels);
    seeds = List.copyOf(seeds);
  }

  /** Every cell, in the sweep's fixed order (stack by stack). */
  public List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (List<Cell> stack : stacks()) {
      cells.addAll(stack);
    }
    return cells;
  }

  /** Cells grouped into stacks: one shape and sequence layout, every mix and seed. */
  public List<List<Cell>> stacks() {
    List<List<Cell>> stacks = new ArrayList<>();
    for (int depth : depths) {
      for (boolean cot : cots) {
        for (int modulus : moduli) {
          for (int layer : layers) {
            for (int loop : loops) {
              for (int head : heads) {
                for (int d : dModels) {
                  List<Cell> stack = new ArrayList<>();
                  for (String mix : mixes) {
                    for (long seed : seeds) {
                      stack.add(
                          new Cell(mix, depth, cot, modulus, layer, loop, head, d, seed, group));
                    }
                  }
                  stacks.add(stack);
                }
              }
            }
          }
        }
      }
    }
    return stacks;
  }

  /**
   * Shard {@code index} of {@code count}: every count-th stack from the index-th, so shards
   * partition the grid. A shard without a stack is refused: it would report nothing.
   */
  public List<List<Cell>> shard(int index, int count) {
    Preconditions.checkArgument(count >= 1, "shard count must be at least 1, got %s", count);
    Preconditions.checkArgument(
        index >= 0 && index < count, "shard index must be in 0..%s, got %s", count - 1, index);
    List<List<Cell>> all = stacks();
    Preconditions.checkArgument(
        count <= all.size(),
        "--shard %s/%s: the grid has %s stack%s (one per combination of every axis but mix and"
            + " seed), so at most %s shard%s",
        index,
        count,
        all.size(),
        all.size() == 1 ? "" : "s",
        all.size(),
        all.size() == 1 ? "" : "s");
    List<List<Cell>> mine = new ArrayList<>();
    for (int i = index; i < all.size(); i += count) {
      mine.add(all.get(i));
    }
    return mine;
  }

  /**
   * The axes other than size and seed that take more than one value among {@code cells}: they name
   * a setting.
   */
  public static Map<String, Boolean> varying(List<Cell> cells) {
    Map<String, Boolean> v = new LinkedHashMap<>();
    v.put("depth", cells.stream().map(Cell::depth).distinct().count() > 1);
    v.put("cot", cells.stream().map(Cell::cot).distinct().count() > 1);
    v.put("modulus", cells.stream().map(Cell::modulus).distinct().count() > 1);
    v.put("group", cells.stream().map(Cell::group).distinct().count() > 1);
    v.put("layers", cells.stream().map(Cell::layers).distinct().count() > 1);
    v.put("loops", cells.stream().map(Cell::loops).distinct().count() > 1);
    v.put("heads", cells.stream().map(Cell::heads).distinct().count() > 1);
    return v;
  }

  /**
   * One model of the sweep: of the numbers modulo {@code modulus}, or with {@code group} non-null
   * of that group (its modulus then {@link #NO_MODULUS}).
   */
  public record Cell(
      String mix,
      int depth,
      boolean cot,
      int modulus,
      int layers,
      int loops,
      int heads,
      int dModel,
      long seed,
      @JsonInclude(JsonInclude.Include.NON_NULL) String group) {
    /** The modulus of a group cell, which has none. */
    public static final int NO_MODULUS = 0;

    /** A cell of the numbers of ListOps. */
    public Cell(
        String mix,
        int depth,
        boolean cot,
        int modulus,
        int layers,
        int loops,
        int heads,
        int dModel,
        long seed) {
      this(mix, depth, cot, modulus, layers, loops, heads, dModel, seed, null);
    }

    /** What the cell's values are: its group, or the numbers modulo its modulus. */
    public Domain domain() {
      return Domain.of(group, modulus);
    }

    /**
     * A file-safe name, unique in the grid: {@code SUM_depth1_mod10_L1_loop1_h1_d8_seed3}; a group
     * cell names its group in place of the modulus ({@code PMUL_depth1_S3_L1_loop1_h1_d8_seed3}).
     */
    public String key() {
      return mix.replace(',', '+').replace(':', '~')
          + "_depth"
          + depth
          + (cot ? "_cot" : "")
          + (group == null ? "_mod" + modulus : "_" + group)
          + "_L"
          + layers
          + "_loop"
          + loops
          + "_h"
          + heads
          + "_d"
          + dModel
          + "_seed"
          + seed;
    }

    /**
     * The setting: the mix plus every varying non-size axis ({@code SUM}, {@code SUM|depth=2|cot}).
     */
    public String setting(Map<String, Boolean> varying) {
      StringBuilder s = new StringBuilder(mix);
      if (varying.get("depth")) {
        s.append("|depth=").append(depth);
      }
      if (varying.get("cot") && cot) {
        s.append("|cot");
      }
      if (varying.get("modulus")) {
        s.append("|modulus=").append(modulus);
      }
      if (varying.get("group")) {
        s.append("|group=").append(group);
      }
      if (varying.get("layers")) {
        s.append("|layers=").append(layers);
      }
      if (varying.get("loops")) {
        s.append("|loops=").append(loops);
      }
      if (varying.get("heads")) {
        s.append("|heads=").append(heads);
      }
      return s.toString();
    }
  }
}
