package dev.kiln.model;

import java.util.Map;

/**
 * An optimizer's state for checkpoints: its type ({@code sgd}, {@code adam}), the number of steps
 * taken, and named slots of per-parameter values ({@code velocity}; {@code m} and {@code v}).
 */
public record OptimizerState(String type, long steps, Map<String, float[]> slots) {
  /** Keeps the slot order. */
  public OptimizerState {
    slots = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(slots));
  }
}
