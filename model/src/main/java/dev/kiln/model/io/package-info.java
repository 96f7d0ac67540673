/**
 * Model artifacts: {@code model.json}, {@code weights.safetensors} and {@code model.onnx} (written
 * with a hand-rolled protobuf encoder, no ONNX or protobuf dependency).
 */
package dev.kiln.model.io;
