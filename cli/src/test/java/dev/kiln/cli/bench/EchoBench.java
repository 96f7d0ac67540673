package dev.kiln.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark main for tests: a line on stdout and on stderr, then one JSON object with what it was
 * given as its last stdout line; exits with the code after {@code --exit}. It runs on a classpath
 * of the test classes alone, so it uses no library.
 */
public final class EchoBench {
  private EchoBench() {}

  public static void main(String[] args) {
    System.out.println("echo bench: warming up");
    System.err.println("echo bench: a line on stderr");
    int exit = 0;
    List<String> quoted = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      quoted.add(json(args[i]));
      if (args[i].equals("--exit") && i + 1 < args.length) {
        exit = Integer.parseInt(args[i + 1]);
      }
    }
    System.out.println(
        "{\"args\": ["
            + String.join(", ", quoted)
            + "], \"property\": "
            + json(System.getProperty("kiln.echo", ""))
            + ", \"cwd\": "
            + json(System.getProperty("user.dir"))
            + "}");
    System.exit(exit);
  }

  private static String json(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
