package dev.olympus.cloud.sync;

import dev.olympus.cloud.TestDatabases;
import dev.olympus.cloud.admin.Directory;
import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.conflict.ChangeApplier;
import dev.olympus.core.sync.Op;
import dev.olympus.core.sync.OpAction;
import dev.olympus.store.Database;
import dev.olympus.store.Dialect;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The sync stores wired on one database, with a fresh tenant and two locations. */
final class StoreHarness implements AutoCloseable {
  final Database db;
  final Directory directory;
  final SyncStore store;
  final ReviewQueue review;
  final ConflictLog conflicts;
  final ChangeNotifier notifier = new ChangeNotifier();
  final String tenant = TestDatabases.unique("t");
  final String loc1 = TestDatabases.unique("loc1");
  final String loc2 = TestDatabases.unique("loc2");

  StoreHarness(Dialect dialect, Path tempDir) {
    Clock clock = Clock.systemUTC();
    db = TestDatabases.open(dialect, tempDir);
    directory = new Directory(db.jdbi(), clock);
    var applier =
        new ChangeApplier(
            new HybridLogicalClock(clock, Duration.ofMinutes(5)),
            "cloud",
            ChangeApplier.builtInResolvers());
    store =
        new SyncStore(
            db.jdbi(),
            directory,
            applier,
            notifier,
            new SyncMetrics(new SimpleMeterRegistry()),
            clock);
    review = new ReviewQueue(db.jdbi(), store, clock);
    conflicts = new ConflictLog(db.jdbi());
    directory.createTenant(tenant, "Test tenant");
    directory.createLocation(tenant, loc1, "One");
    directory.createLocation(tenant, loc2, "Two");
  }

  SyncStore.Writer edge(String location) {
    return new SyncStore.Writer(tenant, location, "edge-of-" + location, true);
  }

  static IncomingOp op(
      String opId,
      String collection,
      String id,
      OpAction action,
      Map<String, Object> data,
      long base,
      long hlc) {
    return IncomingOp.parsed(new Op(opId, collection, id, action, data, base, hlc, "edge-a"), null);
  }

  static IncomingOp put(
      String opId, String collection, String id, Map<String, Object> data, long hlc) {
    return op(opId, collection, id, OpAction.PUT, data, 0, hlc);
  }

  /** An HLC a few ms after now, so ops are not skewed and keep their own clocks. */
  static long hlc(int offsetMillis) {
    return HybridLogicalClock.encode(System.currentTimeMillis() + offsetMillis, 0);
  }

  @Override
  public void close() {
    db.close();
  }
}
