package dev.kiln.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads the commit a checkout is at from its {@code .git} files, without running git. */
final class GitCommit {
  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

  private GitCommit() {}

  /** The HEAD commit of the checkout at {@code repo}, if it is a git checkout. */
  static Optional<String> of(Path repo) {
    try {
      Path dotGit = repo.resolve(".git");
      Path gitDir = dotGit;
      if (Files.isRegularFile(dotGit)) {
        // A worktree or submodule: ".git" is a file saying "gitdir: <path>".
        String line = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
        if (!line.startsWith("gitdir:")) {
          return Optional.empty();
        }
        gitDir = repo.resolve(line.substring("gitdir:".length()).strip()).normalize();
      }
      Path headFile = gitDir.resolve("HEAD");
      if (!Files.isRegularFile(headFile)) {
        return Optional.empty();
      }
      String head = Files.readString(headFile, StandardCharsets.UTF_8).strip();
      if (!head.startsWith("ref:")) {
        return sha(head);
      }
      String ref = head.substring("ref:".length()).strip();
      Optional<String> found = resolve(gitDir, ref);
      Path common = gitDir.resolve("commondir");
      if (found.isEmpty() && Files.isRegularFile(common)) {
        Path commonDir = gitDir.resolve(Files.readString(common, StandardCharsets.UTF_8).strip());
        found = resolve(commonDir.normalize(), ref);
      }
      return found;
    } catch (IOException | RuntimeException e) {
      // The commit is a nicety in `kiln version`; an odd .git folder must not break it.
      return Optional.empty();
    }
  }

  private static Optional<String> resolve(Path gitDir, String ref) throws IOException {
    Path loose = gitDir.resolve(ref);
    if (Files.isRegularFile(loose)) {
      return sha(Files.readString(loose, StandardCharsets.UTF_8).strip());
    }
    Path packed = gitDir.resolve("packed-refs");
    if (Files.isRegularFile(packed)) {
      for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
        String[] parts = line.strip().split(" ", 2);
        if (parts.length == 2 && parts[1].equals(ref)) {
          return sha(parts[0]);
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> sha(String text) {
    return SHA.matcher(text).matches() ? Optional.of(text) : Optional.empty();
  }
}
