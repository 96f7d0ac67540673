package dev.kiln.cli.data;

import dev.kiln.cli.ExitCodes;
import dev.kiln.cli.Kiln;
import dev.kiln.cli.KilnException;
import dev.kiln.cli.KilnSubcommand;
import dev.kiln.cli.local.LocalFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kiln data cp SRC DST}: files to and from S3 (local mode's, unless told another). */
@Command(
    name = "data",
    description = "Data in S3: local mode's embedded server, or any S3 API.",
    subcommands = {DataCommand.Copy.class})
public final class DataCommand implements KilnSubcommand, Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** {@code kiln data cp}. */
  @Command(
      name = "cp",
      description = {
        "Copy a file or folder to s3://bucket/key, or from S3 to a local path.",
        "The endpoint and keys: --endpoint, or KILN_S3_ENDPOINT with AWS_ACCESS_KEY_ID and",
        "AWS_SECRET_ACCESS_KEY, else local mode's (from ~/.kiln/local.json)."
      })
  static final class Copy implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC")
    String source;

    @Parameters(index = "1", paramLabel = "DST")
    String target;

    @Option(
        names = "--endpoint",
        paramLabel = "URL",
        description = "an S3 API, e.g. http://minio:9000")
    String endpoint;

    @Override
    public Integer call() {
      boolean up = S3Files.S3Uri.is(target);
      boolean down = S3Files.S3Uri.is(source);
      if (up == down) {
        throw KilnException.usage(
            "one of SRC and DST must be s3://bucket/key and the other a local path",
            "e.g. kiln data cp digits.csv s3://datasets/digits/train.csv");
      }
      S3Files s3 = connect(Kiln.of(spec));
      PrintWriter out = spec.commandLine().getOut();
      if (up) {
        var written = s3.upload(Path.of(source), S3Files.S3Uri.parse(target));
        written.forEach(u -> out.println("uploaded " + u));
      } else {
        var written = s3.download(S3Files.S3Uri.parse(source), Path.of(target));
        written.forEach(p -> out.println("downloaded " + p));
      }
      out.flush();
      return ExitCodes.OK;
    }

    private S3Files connect(Kiln kiln) {
      Map<String, String> env = kiln.env();
      String url = endpoint != null ? endpoint : env.get("KILN_S3_ENDPOINT");
      if (url != null) {
        return new S3Files(
            url,
            env.getOrDefault("AWS_ACCESS_KEY_ID", ""),
            env.getOrDefault("AWS_SECRET_ACCESS_KEY", ""));
      }
      return forLocalMode(kiln);
    }
  }

  /** The S3 server of the running local mode, with its keys. */
  public static S3Files forLocalMode(Kiln kiln) {
    LocalFile file =
        LocalFile.find(kiln.userHome())
            .orElseThrow(() -> KilnException.noLocalControlPlane("no ~/.kiln/local.json"));
    return new S3Files(file.config().s3(), file.s3AccessKey(), file.s3SecretKey());
  }
}
