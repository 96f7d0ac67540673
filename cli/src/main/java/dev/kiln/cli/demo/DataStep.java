package dev.kiln.cli.demo;

import dev.kiln.cli.KilnException;
import dev.kiln.cli.data.S3Files;
import java.nio.file.Files;
import java.nio.file.Path;

/** Splits the digits data set and uploads both parts to S3. */
final class DataStep implements DemoStep {
  static final String PREFIX = "s3://datasets/digits/";

  @Override
  public String title() {
    return "data";
  }

  @Override
  public void run(DemoContext demo) throws Exception {
    Path csv = demo.repo.resolve(DigitsData.CSV);
    if (!Files.isRegularFile(csv)) {
      throw KilnException.failed("the demo's data set is missing: " + csv, null);
    }
    DigitsData.Split split = DigitsData.split(csv, demo.workDir().resolve("data"));
    demo.s3.upload(split.train(), S3Files.S3Uri.parse(PREFIX + "train.csv"));
    demo.s3.upload(split.heldOut(), S3Files.S3Uri.parse(PREFIX + "heldout.csv"));
    demo.split = split;
    demo.out.println(
        "    "
            + split.rows()
            + " handwritten digits, 8x8 pixels (UCI via scikit-learn, CC BY 4.0), split with seed "
            + DigitsData.SEED
            + " into");
    demo.out.println("    " + split.trainRows() + " to train on -> " + PREFIX + "train.csv, and");
    demo.out.println(
        "    "
            + split.heldOutRows()
            + " held out -> "
            + PREFIX
            + "heldout.csv: the job reports its accuracy on them each epoch,");
    demo.out.println("    but nothing trains on them or picks a model by them");
  }
}
