package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoHomeTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path repo;
  private Path jar;

  @BeforeEach
  void checkout() throws IOException {
    Files.writeString(repo.resolve("mvnw"), "#!/bin/sh\n");
    Files.writeString(repo.resolve("pom.xml"), "<project/>");
    jar = Files.createDirectories(repo.resolve("cli/target")).resolve("kiln-cli.jar");
  }

  @Test
  void walksUpFromTheJarToTheFolderWithMvnw() {
    assertThat(RepoHome.find(Map.of(), jar)).contains(repo.toAbsolutePath().normalize());
  }

  @Test
  void kilnHomeWins(@TempDir Path other) throws IOException {
    Files.writeString(other.resolve("mvnw"), "");
    Files.writeString(other.resolve("pom.xml"), "");

    assertThat(RepoHome.find(Map.of(RepoHome.ENV, other.toString()), jar)).contains(other);
  }

  @Test
  void kilnHomeThatIsNoCheckoutIsReported(@TempDir Path empty) {
    assertThatThrownBy(() -> RepoHome.find(Map.of(RepoHome.ENV, empty.toString()), jar))
        .isInstanceOf(KilnException.class)
        .hasMessageContaining("is not a Kiln checkout");
  }

  @Test
  void noCheckoutAboveSaysWhatToDo(@TempDir Path elsewhere) {
    assertThatThrownBy(() -> RepoHome.require(Map.of(), elsewhere.resolve("kiln-cli.jar")))
        .isInstanceOfSatisfying(
            KilnException.class,
            e -> assertThat(e.describe()).contains("cannot find the Kiln repository", "KILN_HOME"));
  }

  @Test
  void commitFromALooseRef() throws IOException {
    Path git = Files.createDirectories(repo.resolve(".git/refs/heads"));
    Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(git.resolve("main"), SHA + "\n");

    assertThat(GitCommit.of(repo)).contains(SHA);
  }

  @Test
  void commitFromPackedRefs() throws IOException {
    Path git = Files.createDirectories(repo.resolve(".git"));
    Files.writeString(git.resolve("HEAD"), "ref: refs/heads/main\n");
    Files.writeString(
        git.resolve("packed-refs"),
        "# pack-refs with: peeled fully-peeled sorted\n" + SHA + " refs/heads/main\n");

    assertThat(GitCommit.of(repo)).contains(SHA);
  }

  @Test
  void commitOfADetachedHeadAndOfAWorktree(@TempDir Path gitDirs) throws IOException {
    Path common = Files.createDirectories(gitDirs.resolve("main.git/refs/heads"));
    Path worktree = Files.createDirectories(gitDirs.resolve("main.git/worktrees/wt"));
    Files.writeString(worktree.resolve("HEAD"), "ref: refs/heads/feature\n");
    Files.writeString(worktree.resolve("commondir"), "../..\n");
    Files.writeString(common.resolve("feature"), SHA);
    Files.writeString(repo.resolve(".git"), "gitdir: " + worktree + "\n");

    assertThat(GitCommit.of(repo)).contains(SHA);

    Files.writeString(worktree.resolve("HEAD"), SHA.replace('0', 'f'));
    assertThat(GitCommit.of(repo)).contains(SHA.replace('0', 'f'));
  }

  @Test
  void noGitMeansNoCommit() {
    assertThat(GitCommit.of(repo)).isEmpty();
    assertThat(KilnVersion.lines(java.util.Optional.of(repo)))
        .noneMatch(l -> l.startsWith("commit"));
  }
}
