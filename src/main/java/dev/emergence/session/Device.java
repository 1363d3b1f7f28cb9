package dev.emergence.session;

/**
 * Where a model's ops are placed. GPU placement is soft: ops without a GPU kernel, or a machine
 * without a GPU, fall back to the CPU with the same numbers.
 */
public enum Device {
  CPU,
  GPU;
}
