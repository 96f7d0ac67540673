package dev.kiln.worker.collective.shm;

import dev.kiln.worker.collective.Collective;
import dev.kiln.worker.collective.CollectiveConfig;
import dev.kiln.worker.collective.CollectiveException;
import dev.kiln.worker.collective.CollectiveProvider;
import dev.kiln.worker.collective.PeerGroup;
import dev.kiln.worker.collective.Rendezvous;
import dev.kiln.worker.collective.SingleRankCollective;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code shm} backend for ranks on one machine: the rendezvous as for {@code tcp} (its control
 * links detect dead and hung peers), then one memory-mapped file under /dev/shm shared by all.
 */
public final class ShmProvider implements CollectiveProvider {
  private static final int MAX_SLOT_BYTES = 4 << 20;

  @Override
  public String name() {
    return "shm";
  }

  @Override
  public Collective open(CollectiveConfig c) {
    PeerGroup group = Rendezvous.join(c, 0);
    try {
      if (c.worldSize() == 1) {
        group.start();
        return new SingleRankCollective(group, "shm");
      }
      for (int r = 1; r < c.worldSize(); r++) {
        if (!group.peer(r).hostId().equals(group.peer(0).hostId())) {
          throw new CollectiveException(
              "the shm backend needs every rank on one machine, but rank "
                  + r
                  + " runs on "
                  + group.peer(r).hostId()
                  + " and rank 0 on "
                  + group.peer(0).hostId()
                  + "; use the tcp backend");
        }
      }
      int n = c.worldSize();
      int slotBytes = Math.max(4096, Math.min(MAX_SLOT_BYTES, (128 << 20) / n) & ~4095);
      long size = ShmCollective.HEADER_BYTES + 2L * n * slotBytes;
      Path file = directory().resolve("kiln-" + group.session());
      MappedByteBuffer map;
      if (c.rank() == 0) {
        map = map(file, size, true);
        group.controlBarrier(); // the file exists, zeroed
        group.controlBarrier(); // everyone mapped it: unlink, so nothing leaks even on kill -9
        Files.deleteIfExists(file);
      } else {
        group.controlBarrier();
        map = map(file, size, false);
        group.controlBarrier();
      }
      group.start();
      return new ShmCollective(group, map, slotBytes);
    } catch (IOException | RuntimeException e) {
      group.close();
      if (e instanceof CollectiveException ce) {
        throw ce;
      }
      throw new CollectiveException(
          "rank " + c.rank() + ": setting up shared memory failed: " + e, e);
    }
  }

  private static MappedByteBuffer map(Path file, long size, boolean create) throws IOException {
    var options =
        create
            ? new StandardOpenOption[] {
              StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE
            }
            : new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE};
    try (FileChannel ch = FileChannel.open(file, options)) {
      if (create) {
        ch.truncate(size);
        ch.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1); // size the file
      }
      return ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
    }
  }

  /** /dev/shm where it exists (RAM-backed), else the temp folder. */
  private static Path directory() {
    Path shm = Path.of("/dev/shm");
    if (Files.isDirectory(shm) && Files.isWritable(shm)) {
      return shm;
    }
    return Path.of(System.getProperty("java.io.tmpdir"));
  }
}
