package dev.kiln.worker.collective;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Constants and small helpers of the rendezvous wire protocol. */
final class Wire {
  static final int MAGIC = 0x4B494C4E; // "KILN"
  static final int VERSION = 2;
  static final byte WELCOME = 1;
  static final byte REJECT = 2;

  private Wire() {}

  static String truncate(String s) {
    String t = s == null ? "" : s;
    return t.length() > 2000 ? t.substring(0, 2000) : t;
  }

  /** Hostname plus kernel boot id: equal only for processes that can share /dev/shm. */
  static String hostId() {
    String host;
    try {
      host = Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      host = String.valueOf(System.getenv("HOSTNAME"));
    }
    String boot;
    try {
      boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
    } catch (IOException e) {
      boot = "no-boot-id";
    }
    return host + "/" + boot;
  }
}
