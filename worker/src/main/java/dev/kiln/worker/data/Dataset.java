package dev.kiln.worker.data;

import java.util.List;

/**
 * A channel in memory, ready for training: features and encoded targets.
 *
 * @param name the channel name ({@code train}, {@code validation})
 * @param x row-major features, {@code rows * features}
 * @param rows samples
 * @param features values per sample
 * @param targets row-major targets, {@code rows * targetWidth} (a class id per row for cross
 *     entropy)
 * @param targetWidth targets per sample
 * @param featureNames feature column names (CSV) or {@code f0..}
 * @param labelName the label column's name
 * @param encoding how labels were encoded (class names for classification)
 * @param digest SHA-256 over the objects read, in order, for provenance
 */
public record Dataset(
    String name,
    float[] x,
    int rows,
    int features,
    float[] targets,
    int targetWidth,
    List<String> featureNames,
    String labelName,
    LabelEncoding encoding,
    String digest) {}
