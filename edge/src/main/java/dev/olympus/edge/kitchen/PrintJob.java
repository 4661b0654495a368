package dev.olympus.edge.kitchen;

/**
 * A print job in the queue ({@code print_jobs}).
 *
 * @param status {@code pending} or {@code done}
 */
public record PrintJob(
    long seq,
    String jobId,
    String printerId,
    byte[] payload,
    String status,
    long createdAt,
    int attempts,
    long nextAttemptAt,
    String lastError) {
  public static final String PENDING = "pending";
  public static final String DONE = "done";
}
