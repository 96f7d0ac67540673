package dev.kiln.worker.collective;

/**
 * One rank of the gang as the rendezvous saw it.
 *
 * @param rank its rank
 * @param host the address other ranks reach it at
 * @param dataPort its data listener (0 when the backend needs none)
 * @param hostId identifies the machine (hostname and boot id), to check same-host backends
 */
public record Peer(int rank, String host, int dataPort, String hostId) {

  /** "rank 2 (10.0.0.7:41235)": how error messages name a peer. */
  public String describe() {
    return "rank " + rank + " (" + host + (dataPort > 0 ? ":" + dataPort : "") + ")";
  }
}
