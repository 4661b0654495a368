package dev.olympus.client;

import java.time.Instant;
import java.util.Objects;

/**
 * A PATCH or DELETE at the head of the queue that a fallback endpoint (not the first, preferred
 * one) answered {@code 404 not_found}: the record was most likely created through the preferred
 * endpoint (the edge), which has not passed it on yet. The write is kept, and every write behind it
 * waits, so each record's writes stay in order. It is sent again, with the same op id, after a
 * backoff and whenever the connection changes endpoint (e.g. back to the edge, which knows the
 * record); at {@code giveUpAt} it is reported to {@link WriteFailureListener}s and dropped.
 *
 * @param write the held write
 * @param endpoint the base URL that last answered 404
 * @param since when the first 404 came, by the client's clock
 * @param giveUpAt when the client stops waiting ({@code since} plus {@link
 *     OlympusClient.Builder#missingRecordTimeout})
 */
public record HeldWrite(PendingWrite write, String endpoint, Instant since, Instant giveUpAt) {
  /** Checks for nulls. */
  public HeldWrite {
    Objects.requireNonNull(write, "write");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(giveUpAt, "giveUpAt");
  }
}
