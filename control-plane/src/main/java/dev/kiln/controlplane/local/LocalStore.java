package dev.kiln.controlplane.local;

import dev.kiln.api.Conditions;
import dev.kiln.api.Manifests;
import dev.kiln.api.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Local mode's durable resource store; it behaves like the API server where it matters: it assigns
 * uid, generation and resourceVersion, validates with the same validator as cluster mode, keeps
 * spec and status writes apart, refuses stale writes, and deletes what a resource owns.
 */
public final class LocalStore {
  private final Path root;
  private final Clock clock;
  private final List<Consumer<StoreEvent>> listeners = new CopyOnWriteArrayList<>();
  private long resourceVersion;

  public LocalStore(Path root, Clock clock) {
    this.root = root;
    this.clock = clock;
    try {
      Files.createDirectories(root);
      Path counter = root.resolve("resourceVersion");
      resourceVersion =
          Files.exists(counter) ? Long.parseLong(Files.readString(counter).trim()) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the local store at " + root, e);
    }
  }

  /** What changed: a resource was added, modified or deleted. */
  public record StoreEvent(String type, HasMetadata resource) {}

  public void addListener(Consumer<StoreEvent> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<StoreEvent> listener) {
    listeners.remove(listener);
  }

  /** Creates a resource; fails if it exists or is invalid. */
  public synchronized <T extends HasMetadata> T create(T resource) {
    SpecValidator.check(resource);
    ObjectMeta meta = resource.getMetadata();
    defaultNamespace(resource);
    if (read(resource.getClass(), meta.getNamespace(), meta.getName()).isPresent()) {
      throw new StoreException(Reason.ALREADY_EXISTS, describe(resource) + " already exists");
    }
    T stored = Manifests.copy(resource);
    ObjectMeta m = stored.getMetadata();
    m.setUid(UUID.randomUUID().toString());
    m.setGeneration(1L);
    m.setCreationTimestamp(Conditions.timestamp(clock.instant()));
    m.setResourceVersion(Long.toString(nextResourceVersion()));
    m.setDeletionTimestamp(null);
    clearStatus(stored);
    write(stored);
    notify("ADDED", stored);
    return Manifests.copy(stored);
  }

  /**
   * Creates the resource, or updates its spec, labels and annotations (never its status); the
   * generation moves only when the spec changed.
   */
  public synchronized <T extends HasMetadata> T apply(T resource) {
    defaultNamespace(resource);
    Optional<T> existing =
        read(
            resourceClass(resource),
            resource.getMetadata().getNamespace(),
            resource.getMetadata().getName());
    if (existing.isEmpty()) {
      return create(resource);
    }
    SpecValidator.check(resource);
    T stored = existing.get();
    String oldSpec = Manifests.toJson(spec(stored));
    String newSpec = Manifests.toJson(spec(resource));
    ObjectMeta m = stored.getMetadata();
    boolean metaChanged =
        !Objects.equals(m.getLabels(), resource.getMetadata().getLabels())
            || !Objects.equals(m.getAnnotations(), resource.getMetadata().getAnnotations());
    if (oldSpec.equals(newSpec) && !metaChanged) {
      return Manifests.copy(stored);
    }
    setSpec(stored, spec(resource));
    m.setLabels(resource.getMetadata().getLabels());
    m.setAnnotations(resource.getMetadata().getAnnotations());
    if (resource.getMetadata().getOwnerReferences() != null) {
      m.setOwnerReferences(resource.getMetadata().getOwnerReferences());
    }
    if (!oldSpec.equals(newSpec)) {
      m.setGeneration(m.getGeneration() + 1);
    }
    m.setResourceVersion(Long.toString(nextResourceVersion()));
    write(stored);
    notify("MODIFIED", stored);
    return Manifests.copy(stored);
  }

  /**
   * Replaces the status only, if {@code resource} carries the stored resourceVersion; a stale write
   * fails with {@link Reason#CONFLICT}, as on the API server.
   */
  public synchronized <T extends HasMetadata> T updateStatus(T resource) {
    T stored = require(resource);
    String expected = resource.getMetadata().getResourceVersion();
    if (expected != null && !expected.equals(stored.getMetadata().getResourceVersion())) {
      throw new StoreException(
          Reason.CONFLICT,
          describe(resource)
              + " was modified (resourceVersion "
              + stored.getMetadata().getResourceVersion()
              + ", not "
              + expected
              + "); read it again");
    }
    Object oldStatus = status(stored);
    Object newStatus = status(resource);
    if (Manifests.toJson(oldStatus).equals(Manifests.toJson(newStatus))) {
      return Manifests.copy(stored);
    }
    setStatus(stored, newStatus);
    stored.getMetadata().setResourceVersion(Long.toString(nextResourceVersion()));
    write(stored);
    notify("MODIFIED", stored);
    return Manifests.copy(stored);
  }

  public synchronized <T extends HasMetadata> Optional<T> get(
      Class<T> type, String namespace, String name) {
    return read(type, namespaceFor(type, namespace), name).map(Manifests::copy);
  }

  /** The resource of a kind with this uid, in any namespace. */
  public synchronized <T extends HasMetadata> Optional<T> findByUid(Class<T> type, String uid) {
    return list(type, null).stream()
        .filter(r -> Objects.equals(uid, r.getMetadata().getUid()))
        .findFirst();
  }

  /** Resources of a kind, in one namespace or (null) all, ordered by namespace and name. */
  public synchronized <T extends HasMetadata> List<T> list(Class<T> type, String namespace) {
    Path dir = kindDir(type);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(p -> p.toString().endsWith(".json"))
          .map(p -> readFile(type, p))
          .filter(r -> namespace == null || namespace.equals(r.getMetadata().getNamespace()))
          .sorted(
              Comparator.comparing((T r) -> String.valueOf(r.getMetadata().getNamespace()))
                  .thenComparing(r -> r.getMetadata().getName()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a resource and, like the garbage collector, everything it owns; false if absent. */
  public synchronized boolean delete(
      Class<? extends HasMetadata> type, String namespace, String name) {
    Optional<? extends HasMetadata> existing = read(type, namespaceFor(type, namespace), name);
    if (existing.isEmpty()) {
      return false;
    }
    HasMetadata resource = existing.get();
    for (Class<? extends HasMetadata> kind : Manifests.kinds().values()) {
      for (HasMetadata child : list(kind, null)) {
        if (ownedBy(child, resource.getMetadata().getUid())) {
          delete(kind, child.getMetadata().getNamespace(), child.getMetadata().getName());
        }
      }
    }
    try {
      Files.deleteIfExists(file(type, resource.getMetadata().getNamespace(), name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    resource.getMetadata().setResourceVersion(Long.toString(nextResourceVersion()));
    notify("DELETED", resource);
    return true;
  }

  private static boolean ownedBy(HasMetadata child, String uid) {
    List<OwnerReference> refs = child.getMetadata().getOwnerReferences();
    return refs != null && refs.stream().anyMatch(r -> uid.equals(r.getUid()));
  }

  private <T extends HasMetadata> T require(T resource) {
    return read(
            resourceClass(resource),
            namespaceFor(resource.getClass(), resource.getMetadata().getNamespace()),
            resource.getMetadata().getName())
        .orElseThrow(() -> new StoreException(Reason.NOT_FOUND, describe(resource) + " not found"));
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> Class<T> resourceClass(T resource) {
    return (Class<T>) resource.getClass();
  }

  private <T extends HasMetadata> Optional<T> read(Class<T> type, String namespace, String name) {
    Path file = file(type, namespace, name);
    return Files.exists(file) ? Optional.of(readFile(type, file)) : Optional.empty();
  }

  private static <T> T readFile(Class<T> type, Path file) {
    try {
      return Manifests.fromJson(Files.readString(file), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(HasMetadata resource) {
    Path file =
        file(
            resource.getClass(),
            resource.getMetadata().getNamespace(),
            resource.getMetadata().getName());
    writeAtomically(file, Manifests.toJson(resource));
  }

  private long nextResourceVersion() {
    resourceVersion++;
    writeAtomically(root.resolve("resourceVersion"), Long.toString(resourceVersion));
    return resourceVersion;
  }

  private static void writeAtomically(Path file, String content) {
    AtomicFiles.write(file, content);
  }

  private Path kindDir(Class<?> type) {
    return root.resolve(type.getSimpleName().toLowerCase(Locale.ROOT) + "s");
  }

  private Path file(Class<?> type, String namespace, String name) {
    String ns = namespace == null ? "_cluster" : namespace;
    return kindDir(type).resolve(ns).resolve(name + ".json");
  }

  private static String namespaceFor(Class<?> type, String namespace) {
    if (!Namespaced.class.isAssignableFrom(type)) {
      return null;
    }
    return namespace == null ? "default" : namespace;
  }

  private static void defaultNamespace(HasMetadata resource) {
    resource
        .getMetadata()
        .setNamespace(namespaceFor(resource.getClass(), resource.getMetadata().getNamespace()));
  }

  private void notify(String type, HasMetadata resource) {
    HasMetadata copy = Manifests.copy(resource);
    listeners.forEach(l -> l.accept(new StoreEvent(type, copy)));
  }

  private static String describe(HasMetadata r) {
    String ns = r.getMetadata().getNamespace();
    return r.getKind() + " " + (ns == null ? "" : ns + "/") + r.getMetadata().getName();
  }

  private static Object spec(HasMetadata r) {
    return ((io.fabric8.kubernetes.client.CustomResource<?, ?>) r).getSpec();
  }

  private static Object status(HasMetadata r) {
    return ((io.fabric8.kubernetes.client.CustomResource<?, ?>) r).getStatus();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void setSpec(HasMetadata r, Object spec) {
    ((io.fabric8.kubernetes.client.CustomResource) r).setSpec(Manifests.copy(spec));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void setStatus(HasMetadata r, Object status) {
    ((io.fabric8.kubernetes.client.CustomResource) r)
        .setStatus(status == null ? null : Manifests.copy(status));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void clearStatus(HasMetadata r) {
    ((io.fabric8.kubernetes.client.CustomResource) r).setStatus(null);
  }

  /** Why a store operation failed, as the API server would say it. */
  public enum Reason {
    NOT_FOUND,
    ALREADY_EXISTS,
    CONFLICT
  }

  /** A store operation that cannot be done; the message says why. */
  public static class StoreException extends RuntimeException {
    private final Reason reason;

    public StoreException(Reason reason, String message) {
      super(message);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }

  /** For tests and diagnostics: every stored resource of every kind. */
  public synchronized List<HasMetadata> all() {
    List<HasMetadata> all = new ArrayList<>();
    Manifests.kinds().values().forEach(k -> all.addAll(list(k, null)));
    return all;
  }
}
