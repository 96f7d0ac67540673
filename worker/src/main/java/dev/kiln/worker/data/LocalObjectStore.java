package dev.kiln.worker.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** {@link ObjectStore} over local folders ({@code file:/path} URIs): for local runs and tests. */
public final class LocalObjectStore implements ObjectStore {

  static Path path(String uri) {
    if (uri.startsWith("file:")) {
      return Path.of(URI.create(uri.startsWith("file://") ? uri : "file://" + uri.substring(5)));
    }
    return Path.of(uri);
  }

  private static String uri(Path p) {
    return "file:" + p.toAbsolutePath();
  }

  @Override
  public List<String> list(String prefixUri) throws IOException {
    Path prefix = path(prefixUri);
    boolean folder = prefixUri.endsWith("/");
    Path dir = folder ? prefix : prefix.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    String start = prefix.toAbsolutePath() + (folder ? "/" : "");
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.toAbsolutePath().toString().startsWith(start))
          .sorted()
          .map(LocalObjectStore::uri)
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public boolean exists(String uri) {
    return Files.isRegularFile(path(uri));
  }

  @Override
  public InputStream open(String uri) throws IOException {
    Path p = path(uri);
    if (!Files.isRegularFile(p)) {
      throw new FileNotFoundException(uri + " does not exist");
    }
    return Files.newInputStream(p);
  }

  @Override
  public void write(String uri, byte[] data) throws IOException {
    Path p = path(uri);
    Files.createDirectories(p.toAbsolutePath().getParent());
    Path tmp = p.resolveSibling(p.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    Files.write(tmp, data);
    try {
      Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public void delete(String uri) throws IOException {
    Files.deleteIfExists(path(uri));
  }
}
