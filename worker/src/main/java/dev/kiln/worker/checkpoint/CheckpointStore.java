package dev.kiln.worker.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.model.OptimizerState;
import dev.kiln.model.io.SafeTensors;
import dev.kiln.worker.data.ObjectStore;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checkpoints under {@code <output>/checkpoints/<job-uid>/epoch-NNNNNN/}: {@code state.safetensors}
 * (parameters and optimizer slots) first, then {@code manifest.json} (epoch, step, optimizer type
 * and step count, seed, the state file's SHA-256), which commits it. A reader takes the newest
 * checkpoint whose manifest exists and whose state matches its digest, so a writer killed half-way
 * leaves the previous checkpoint in force. The newest {@link #KEEP} are kept.
 */
public final class CheckpointStore {
  static final String FORMAT = "kiln.checkpoint/v1";
  static final String STATE = "state.safetensors";
  static final String MANIFEST = "manifest.json";
  static final int KEEP = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectStore store;
  private final String prefix;

  /** Checkpoints of job {@code jobUid} under {@code outputUri}. */
  public CheckpointStore(ObjectStore store, String outputUri, String jobUid) {
    if (jobUid == null || jobUid.isBlank()) {
      throw new IllegalArgumentException("checkpoints need KILN_JOB_UID");
    }
    this.store = store;
    this.prefix = ObjectStore.join(outputUri, "checkpoints/" + jobUid + "/");
  }

  /** Where this job's checkpoints live. */
  public String prefix() {
    return prefix;
  }

  /** Writes and commits {@code c}, then prunes old checkpoints; returns its folder URI. */
  public String save(Checkpoint c) throws IOException {
    String dir = prefix + String.format("epoch-%06d/", c.epoch());
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    tensors.put("parameters", vector(c.parameters()));
    for (Map.Entry<String, float[]> e : c.optimizer().slots().entrySet()) {
      tensors.put("optimizer." + e.getKey(), vector(e.getValue()));
    }
    byte[] state = SafeTensors.encode(tensors, Map.of("format", FORMAT));
    store.write(dir + STATE, state);
    ObjectNode m = JSON.createObjectNode();
    m.put("format", FORMAT);
    m.put("epoch", c.epoch());
    m.put("step", c.step());
    m.put("inputWidth", c.inputWidth());
    m.put("parameterCount", c.parameters().length);
    ObjectNode opt = m.putObject("optimizer");
    opt.put("type", c.optimizer().type());
    opt.put("steps", c.optimizer().steps());
    c.optimizer().slots().keySet().forEach(opt.putArray("slots")::add);
    m.putObject("rng")
        .put("seed", c.seed())
        .put("scheme", "per-epoch seeded permutation; dropout keyed by seed, epoch, sample, layer");
    m.put("dataDigest", c.dataDigest());
    m.putObject("files").putObject(STATE).put("sha256", sha256(state)).put("bytes", state.length);
    store.write(dir + MANIFEST, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
    prune();
    return dir;
  }

  /** The newest complete checkpoint, if any. Incomplete or corrupt ones are skipped and logged. */
  public Optional<Checkpoint> latest() throws IOException {
    for (Map.Entry<Integer, String> e : committed().descendingMap().entrySet()) {
      try {
        return Optional.of(read(e.getValue()));
      } catch (IOException | RuntimeException ex) {
        System.err.println("kiln checkpoint: skipping " + e.getValue() + ": " + ex.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Committed checkpoint folders by epoch. */
  private TreeMap<Integer, String> committed() throws IOException {
    TreeMap<Integer, String> byEpoch = new TreeMap<>();
    for (String uri : store.list(prefix)) {
      if (!uri.endsWith("/" + MANIFEST)) {
        continue;
      }
      String dir = uri.substring(0, uri.length() - MANIFEST.length());
      String name = dir.substring(dir.lastIndexOf('/', dir.length() - 2) + 1, dir.length() - 1);
      if (name.matches("epoch-\\d{6,}")) {
        byEpoch.put(Integer.parseInt(name.substring(6)), dir);
      }
    }
    return byEpoch;
  }

  private Checkpoint read(String dir) throws IOException {
    JsonNode m = JSON.readTree(store.read(dir + MANIFEST));
    if (!FORMAT.equals(m.path("format").asText())) {
      throw new IOException("unknown checkpoint format '" + m.path("format").asText() + "'");
    }
    byte[] state = store.read(dir + STATE);
    String expected = m.path("files").path(STATE).path("sha256").asText();
    if (!expected.equals(sha256(state))) {
      throw new IOException(STATE + " does not match the manifest's SHA-256");
    }
    SafeTensors.Contents contents = SafeTensors.decode(state);
    SafeTensors.Tensor params = contents.tensors().get("parameters");
    if (params == null || params.data().length != m.path("parameterCount").asInt()) {
      throw new IOException("parameters missing or of the wrong size");
    }
    Map<String, float[]> slots = new LinkedHashMap<>();
    for (JsonNode s : m.path("optimizer").path("slots")) {
      SafeTensors.Tensor t = contents.tensors().get("optimizer." + s.asText());
      if (t == null) {
        throw new IOException("optimizer slot '" + s.asText() + "' missing");
      }
      slots.put(s.asText(), t.data());
    }
    OptimizerState opt =
        new OptimizerState(
            m.path("optimizer").path("type").asText(),
            m.path("optimizer").path("steps").asLong(),
            slots);
    return new Checkpoint(
        m.path("epoch").asInt(),
        m.path("step").asLong(),
        params.data(),
        opt,
        m.path("inputWidth").asInt(),
        m.path("rng").path("seed").asLong(),
        m.path("dataDigest").asText());
  }

  /** Deletes all but the newest {@link #KEEP} committed checkpoints (manifest first). */
  private void prune() throws IOException {
    List<String> dirs = new ArrayList<>(committed().values());
    for (int i = 0; i < dirs.size() - KEEP; i++) {
      String dir = dirs.get(i);
      store.delete(dir + MANIFEST);
      store.delete(dir + STATE);
    }
  }

  private static SafeTensors.Tensor vector(float[] v) {
    return new SafeTensors.Tensor(new long[] {v.length}, v);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
