package dev.olympus.edge.realtime;

import dev.olympus.core.sync.Change;
import dev.olympus.edge.store.LanChange;
import dev.olympus.edge.store.RecordStore;
import dev.olympus.web.realtime.ChangeSource;
import dev.olympus.web.realtime.LocationKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
   * The stored actions of the last {@link #read} on each thread, by seq, for {@link #storedAction}.
   */
  private final ThreadLocal<Map<Long, String>> lastRead = new ThreadLocal<>();

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

  @Override
  public List<Change> read(LocationKey location, long since, int limit) {
    List<LanChange> changes = records.changesSince(since, limit);
    List<Change> out = new ArrayList<>(changes.size());
    Map<Long, String> actions = new HashMap<>();
    for (LanChange c : changes) {
      out.add(c.toChange());
      c.action().ifPresent(a -> actions.put(c.seq(), a));
    }
    lastRead.set(actions);
    return out;
  }

  /**
   * The action the edge stored with the change when it was written: the writer knew the record
   * before the change, so a replayed change is named as exactly as a live one.
   */
  @Override
  public Optional<String> storedAction(LocationKey location, Change change) {
    Map<Long, String> actions = lastRead.get();
    return actions == null ? Optional.empty() : Optional.ofNullable(actions.get(change.seq()));
  }
}
