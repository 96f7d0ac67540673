package dev.kiln.endpoint.http;

/** Parsed input: {@code count} rows of the model's input width, laid out row after row. */
public record Rows(float[] values, int count) {}
