package dev.kiln.cli.demo;

import dev.kiln.cli.data.S3Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Downloads the trained model from S3 and measures it on the held-out fifth with the model module's
 * predictor: the demo's accuracy line is this, the model's accuracy on unseen digits.
 */
final class EvaluateStep implements DemoStep {
  @Override
  public String title() {
    return "evaluate";
  }

  @Override
  public void run(DemoContext demo) throws Exception {
    Path dir = demo.workDir().resolve("model");
    demo.s3.download(S3Files.S3Uri.parse(demo.modelUri), dir);
    HeldOutAccuracy.Result r = HeldOutAccuracy.measure(dir, demo.split.heldOut(), "label");
    demo.out.println(
        "    the model from "
            + demo.modelUri
            + ", run here with Kiln's predictor, got "
            + r.correct()
            + " of "
            + r.rows()
            + " held-out digits right");
    demo.out.println(
        String.format(
            Locale.ROOT, "held-out accuracy: %.4f (%d/%d)", r.accuracy(), r.correct(), r.rows()));
    demo.accuracy = r.accuracy();
    demo.out.println("model: " + demo.modelUri + " (model.json, weights.safetensors, model.onnx)");
  }
}
