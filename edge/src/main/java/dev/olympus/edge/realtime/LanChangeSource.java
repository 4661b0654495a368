package dev.olympus.edge.realtime;

import dev.olympus.edge.store.RecordStore;
import dev.olympus.web.realtime.ChangeSource;
import dev.olympus.web.realtime.LocationKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The edge's own change stream ({@code edge:<device id>}, numbered by {@code lan_seq}) as the LAN's
 * {@code /ws/sync} reads it. The edge serves one location, so every connection reads the same
 * stream; the authenticator has already refused tokens of other locations.
 */
public final class LanChangeSource implements ChangeSource {
  private final RecordStore records;
  private final String stream;
  private final Supplier<Optional<String>> cloudStream;
  private final LongSupplier pulledSeq;

  /**
   * @param stream the stream's name, {@code edge:<edge device id>}
   * @param cloudStream the cloud's stream this edge pulls, once the cloud has named it
   * @param pulledSeq the cloud seq this edge has pulled and stored everything through
   */
  public LanChangeSource(
      RecordStore records,
      String stream,
      Supplier<Optional<String>> cloudStream,
      LongSupplier pulledSeq) {
    this.records = Objects.requireNonNull(records, "records");
    this.stream = Objects.requireNonNull(stream, "stream");
    this.cloudStream = Objects.requireNonNull(cloudStream, "cloudStream");
    this.pulledSeq = Objects.requireNonNull(pulledSeq, "pulledSeq");
  }

  /**
   * Every cloud change through the pulled seq was stored, and numbered in this stream, before that
   * seq was set: reading it first and this stream's latest seq second gives a true mark.
   */
  @Override
  public Optional<Upstream> upstream(LocationKey location) {
    Optional<String> cloud = cloudStream.get();
    if (cloud.isEmpty()) {
      return Optional.empty();
    }
    long pulled = pulledSeq.getAsLong();
    return Optional.of(new Upstream(cloud.get(), pulled, records.latestLanSeq()));
  }

  @Override
  public String stream(LocationKey location) {
    return stream;
  }

  @Override
  public long latestSeq(LocationKey location) {
    return records.latestLanSeq();
  }

  /**
   * The edge's changes with the action it stored with each: the writer knew the record before the
   * change, so a replayed change is named as exactly as a live one.
   */
  @Override
  public List<FeedChange> read(LocationKey location, long since, int limit) {
    return records.changesSince(since, limit).stream()
        .map(c -> new FeedChange(c.toChange(), c.action().orElse(null)))
        .toList();
  }
}
