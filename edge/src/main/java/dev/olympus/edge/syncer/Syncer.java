package dev.olympus.edge.syncer;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.sync.Change;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.PullResponse;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.SyncConfig;
import dev.olympus.edge.outbox.Outbox;
import dev.olympus.edge.outbox.OutboxEntry;
import dev.olympus.edge.outbox.QueueSnapshot;
import dev.olympus.edge.store.DeviceDirectory;
import dev.olympus.edge.store.Json;
import dev.olympus.edge.store.RecordStore;
import dev.olympus.edge.store.SyncState;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync cycle and its schedule. A cycle fetches the {@code sync_config}, pushes the outbox in
 * priority order in {@code batch_size} batches, pulls the change feed until it is drained, and
 * reports to the cloud. Cycles run every {@code interval_seconds}, shortly after a local write
 * while online, when the cloud's long poll announces a change or a trigger, and on demand; failed
 * cycles back off exponentially with jitter. Online/offline times and failures are kept in {@link
 * SyncState} so they survive restarts.
 */
public final class Syncer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Syncer.class);
  private static final int PULL_LIMIT = 10_000;

  /** How many seq ranges of its own pushes a pull asks the cloud to leave out. */
  private static final int MAX_OWN_RANGES = 64;

  private static final Duration LONG_POLL = Duration.ofSeconds(25);

  /** At most this often a routine successful cycle stores its time and cursor. */
  static final Duration BOOKKEEP_EVERY = Duration.ofSeconds(5);

  /** At most this often the cloud gets a report that tells it nothing an operator would see. */
  static final Duration REPORT_EVERY = Duration.ofSeconds(5);

  /** How many pushed record versions a cycle remembers to skip their echo in the pull. */
  private static final int MAX_REMEMBERED = 1_000_000;

  private final CloudClient cloud;
  private final Jdbi jdbi;
  private final Outbox outbox;
  private final SyncState state;
  private final DeviceDirectory devices;
  private final HybridLogicalClock hlc;
  private final String nodeId;
  private final Clock clock;
  private final Backoff backoff;
  private final AtomicReference<SyncConfig> config;
  private final Duration debounce;

  private final ReentrantLock cycleLock = new ReentrantLock();

  /** Stores push answers and pulled pages in order, while the next request is on the wire. */
  private final ExecutorService completer =
      Executors.newSingleThreadExecutor(
          Thread.ofPlatform().daemon().name("edge-sync-store").factory());

  private final ReentrantLock scheduleLock = new ReentrantLock();
  private final Condition scheduleChanged = scheduleLock.newCondition();
  private long nextRunNanos = System.nanoTime();
  private volatile boolean closed;
  private volatile boolean online;
  private Thread loop;
  private Thread poller;
  private volatile CloudChannel channel;

  private final AtomicLong lastPulledSeq = new AtomicLong();

  /**
   * The pull cursor as last stored. A page that brings nothing to store (only this edge's own
   * writes coming back) moves the cursor in memory alone; it is stored with the next write, and a
   * crash before that only pulls those pages again, which change nothing.
   */
  private final AtomicLong storedPulledSeq = new AtomicLong();

  /** When a successful cycle last stored its bookkeeping, and when the cloud last had a report. */
  private volatile boolean bookkept;

  private volatile long bookkeptNanos;

  private volatile long bookkeptSuccessMillis = -1;

  private volatile long reportedNanos;
  private volatile CloudClient.Report reported;
  private final AtomicLong consecutiveFailures = new AtomicLong();
  private final AtomicLong cycles = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong pushedTotal = new AtomicLong();
  private final AtomicLong pulledTotal = new AtomicLong();
  private final AtomicLong lastSuccessMillis = new AtomicLong(-1);
  private final AtomicLong successes = new AtomicLong();
  private final AtomicLong successMillisTotal = new AtomicLong();
  private volatile Consumer<List<RecordState>> onPulled = records -> {};
  private volatile Runnable onBackOnline = () -> {};

  /**
   * @param config the cached configuration, shared with the records API (priorities, append-only)
   * @param debounce how long after a local write the push starts, so a burst goes in one batch
   */
  public Syncer(
      CloudClient cloud,
      Jdbi jdbi,
      Outbox outbox,
      SyncState state,
      DeviceDirectory devices,
      HybridLogicalClock hlc,
      String nodeId,
      Clock clock,
      Backoff backoff,
      AtomicReference<SyncConfig> config,
      Duration debounce) {
    this.cloud = cloud;
    this.jdbi = jdbi;
    this.outbox = outbox;
    this.state = state;
    this.devices = devices;
    this.hlc = hlc;
    this.nodeId = nodeId;
    this.clock = clock;
    this.backoff = backoff;
    this.config = config;
    this.debounce = debounce;
    Map<String, String> s = state.all();
    lastPulledSeq.set(SyncState.number(s, SyncState.LAST_PULLED_SEQ));
    storedPulledSeq.set(lastPulledSeq.get());
    consecutiveFailures.set(SyncState.number(s, SyncState.CONSECUTIVE_FAILURES));
    SyncState.instant(s, SyncState.LAST_SYNC_AT)
        .ifPresent(t -> lastSuccessMillis.set(t.toEpochMilli()));
    online = !s.containsKey(SyncState.OFFLINE_SINCE) && s.containsKey(SyncState.ONLINE_SINCE);
  }

  /** Starts the background schedule and the long poll. */
  public synchronized void start() {
    if (loop != null) {
      return;
    }
    loop = Thread.ofPlatform().daemon().name("edge-syncer").start(this::runLoop);
    poller = Thread.ofPlatform().daemon().name("edge-long-poll").start(this::runLongPoll);
    if (channel != null) {
      channel.start();
    }
  }

  /** Runs one cycle now (waiting for a running one to finish first). */
  public CycleResult syncNow() throws CloudException {
    cycleLock.lock();
    try {
      return runCycle();
    } finally {
      cycleLock.unlock();
    }
  }

  /** Asks for a cycle as soon as possible (a trigger, a notice from the cloud). */
  public void requestSync() {
    scheduleAt(System.nanoTime());
  }

  /**
   * Uses the cloud's WebSocket for notices: started and closed with this syncer; while it is
   * connected the long poll rests.
   */
  public void useChannel(CloudChannel cloudChannel) {
    channel = cloudChannel;
  }

  /** The cloud's WebSocket, when one is used. */
  public java.util.Optional<CloudChannel> channel() {
    return java.util.Optional.ofNullable(channel);
  }

  /** A terminal wrote locally: push soon if the cloud is reachable, else wait for the retry. */
  public void onLocalWrite() {
    if (online) {
      scheduleAt(System.nanoTime() + debounce.toNanos());
    }
  }

  public boolean online() {
    return online;
  }

  public long lastPulledSeq() {
    return lastPulledSeq.get();
  }

  public long cycles() {
    return cycles.get();
  }

  public long failures() {
    return failures.get();
  }

  public long pushedTotal() {
    return pushedTotal.get();
  }

  public long pulledTotal() {
    return pulledTotal.get();
  }

  /** Cycles that reached the cloud and finished (since this edge started). */
  public long successes() {
    return successes.get();
  }

  /** The summed duration of the successful cycles, in milliseconds. */
  public long successMillisTotal() {
    return successMillisTotal.get();
  }

  /** Epoch millis of the last successful cycle, -1 if none. */
  public long lastSuccessMillis() {
    return lastSuccessMillis.get();
  }

  private void scheduleAt(long nanos) {
    scheduleLock.lock();
    try {
      if (nanos - nextRunNanos < 0) {
        nextRunNanos = nanos;
        scheduleChanged.signalAll();
      }
    } finally {
      scheduleLock.unlock();
    }
  }

  private void runLoop() {
    while (!closed) {
      scheduleLock.lock();
      try {
        long wait;
        while (!closed && (wait = nextRunNanos - System.nanoTime()) > 0) {
          scheduleChanged.awaitNanos(wait);
        }
        // Until a cycle finishes, the next one is due after the interval.
        nextRunNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.get().intervalSeconds());
      } catch (InterruptedException e) {
        return;
      } finally {
        scheduleLock.unlock();
      }
      if (closed) {
        return;
      }
      Duration next;
      try {
        syncNow();
        next = Duration.ofSeconds(config.get().intervalSeconds());
      } catch (CloudException e) {
        next = backoff.delay(consecutiveFailures.get());
      } catch (RuntimeException e) {
        if (closed) {
          return; // stopping: a cycle cut short is not an error
        }
        log.error("sync cycle failed on a local error; retrying", e);
        next = backoff.delay(Math.max(1, consecutiveFailures.get()));
      }
      scheduleLock.lock();
      try {
        long candidate = System.nanoTime() + next.toNanos();
        // Keep an earlier request that arrived during the cycle.
        if (candidate - nextRunNanos < 0 || nextRunNanos - System.nanoTime() > next.toNanos()) {
          nextRunNanos = candidate;
        }
      } finally {
        scheduleLock.unlock();
      }
    }
  }

  private void runLongPoll() {
    boolean supported = true;
    while (!closed && supported) {
      try {
        if (!online || (channel != null && channel.connected())) {
          sleep(Duration.ofSeconds(1));
          continue;
        }
        CloudClient.Notification n = cloud.awaitNotification(lastPulledSeq.get(), LONG_POLL);
        if (n.trigger() || n.latestSeq() > lastPulledSeq.get()) {
          requestSync();
        }
      } catch (CloudException e) {
        if (e.status() == 404) {
          log.info("the cloud has no long poll; syncing every interval instead");
          supported = false;
        } else {
          // The cycle notices and reports outages; the poll only waits a little before retrying.
          requestSync();
          sleep(backoff.delay(Math.max(1, consecutiveFailures.get())));
        }
      } catch (RuntimeException e) {
        log.warn("long poll failed: {}", e.toString());
        sleep(Duration.ofSeconds(5));
      }
    }
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  private CycleResult runCycle() throws CloudException {
    long start = System.nanoTime();
    QueueSnapshot before = outbox.snapshot();
    cycles.incrementAndGet();
    try {
      refreshConfig();
      long pushStart = System.nanoTime();
      Map<String, Long> pushedVersions = new HashMap<>();
      List<long[]> ownSeqs = new ArrayList<>();
      long[] push = push(pushedVersions, ownSeqs);
      long pushNanos = System.nanoTime() - pushStart;
      long pullStart = System.nanoTime();
      long pulled = pull(pushedVersions, ownSeqs);
      long pullMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pullStart);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      onSuccess(before, push, pushNanos, millis);
      CycleResult result = new CycleResult(push[0], push[1], push[2], pulled, millis);
      // Routine cycles run every few seconds; only the ones an operator cares about are INFO.
      boolean notable =
          result.pushed() >= 100
              || result.pulled() >= 100
              || result.rejected() + result.toReview() > 0
              || millis > 2_000;
      if (notable || (log.isDebugEnabled() && result.pushed() + result.pulled() > 0)) {
        log.atLevel(notable ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG)
            .log(
                "sync cycle pushed {}/{} ({} rejected, {} to review) in {} ms, pulled {} in {} ms;"
                    + " {} ms in all",
                result.pushed(),
                before.total(),
                result.rejected(),
                result.toReview(),
                TimeUnit.NANOSECONDS.toMillis(pushNanos),
                result.pulled(),
                pullMillis,
                millis);
      }
      report(millis);
      return result;
    } catch (CloudException e) {
      onFailure(e, before.total());
      throw e;
    }
  }

  private void refreshConfig() throws CloudException {
    SyncConfig fetched = cloud.fetchConfig();
    if (!fetched.equals(config.get())) {
      config.set(fetched);
      state.put(SyncState.SYNC_CONFIG, Json.write(fetched));
    }
  }

  /**
   * Pushes every queued op once, in priority order; returns {pushed, rejected, toReview}.
   *
   * <p>Up to {@link #PUSHES_IN_FLIGHT} batches are on the wire at once, so the cloud reads one
   * while it stores the other and the edge reads its next batch meanwhile; storing the answers runs
   * on the completion thread. Two batches in flight never share a record: the cloud may apply them
   * in either order, which is only safe when no op of one is based on an op of the other. A batch
   * that shares a record with one in flight waits for it. For the same reason only batches of one
   * and the same priority travel together: at a boundary (payments, then orders) the next batch
   * waits, so nothing of a lower priority is stored before the last op of a higher one.
   */
  private long[] push(Map<String, Long> pushedVersions, List<long[]> ownSeqs)
      throws CloudException {
    long[] totals = new long[3];
    int batchSize = config.get().batchSize();
    Outbox.Cursor cursor = Outbox.Cursor.START;
    ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    Future<?>[] pending = {null};
    boolean finished = false;
    try {
      while (!closed) {
        List<OutboxEntry> batch = outbox.nextBatch(cursor, batchSize);
        if (batch.isEmpty()) {
          break;
        }
        Set<String> keys = new HashSet<>(batch.size() * 2);
        for (OutboxEntry e : batch) {
          keys.add(key(e.collection(), e.recordId()));
        }
        while (!inFlight.isEmpty()
            && (inFlight.size() >= PUSHES_IN_FLIGHT
                || sharesARecord(inFlight, keys)
                || !onePriority(inFlight, batch))) {
          InFlight done = inFlight.poll();
          complete(done, answer(done), pushedVersions, ownSeqs, totals, pending);
        }
        inFlight.add(new InFlight(batch, keys, sender.submit(() -> cloud.push(batch, nodeId))));
        // Rejected ops stay queued but this cycle moves on past them, so they never block the
        // rest.
        cursor = Outbox.Cursor.after(batch.get(batch.size() - 1));
      }
      while (!inFlight.isEmpty()) {
        InFlight done = inFlight.poll();
        complete(done, answer(done), pushedVersions, ownSeqs, totals, pending);
      }
      finished = true;
    } finally {
      if (!finished) {
        // A push failed: let the others end, and keep the answers of those that got through so
        // the next cycle does not send them again.
        for (InFlight other : inFlight) {
          try {
            complete(other, answer(other), pushedVersions, ownSeqs, totals, pending);
          } catch (CloudException | RuntimeException ignored) {
            // The first failure is the one reported.
          }
        }
      }
      await(pending[0]);
    }
    return totals;
  }

  /** How many push requests one cycle keeps on the wire. */
  private static final int PUSHES_IN_FLIGHT = 2;

  private final ExecutorService sender =
      Executors.newFixedThreadPool(
          PUSHES_IN_FLIGHT, Thread.ofPlatform().daemon().name("edge-sync-push-", 0).factory());

  private record InFlight(
      List<OutboxEntry> batch, Set<String> keys, Future<List<OpResult>> answer) {}

  /** Whether {@code batch} and every batch in flight hold ops of one and the same priority. */
  private static boolean onePriority(ArrayDeque<InFlight> inFlight, List<OutboxEntry> batch) {
    int p = batch.get(0).priority();
    if (batch.get(batch.size() - 1).priority() != p) {
      return false;
    }
    for (InFlight f : inFlight) {
      List<OutboxEntry> b = f.batch();
      if (b.get(0).priority() != p || b.get(b.size() - 1).priority() != p) {
        return false;
      }
    }
    return true;
  }

  private static boolean sharesARecord(ArrayDeque<InFlight> inFlight, Set<String> keys) {
    for (InFlight f : inFlight) {
      for (String k : keys) {
        if (f.keys().contains(k)) {
          return true;
        }
      }
    }
    return false;
  }

  private static List<OpResult> answer(InFlight f) throws CloudException {
    try {
      return f.answer().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CloudException.unreachable("interrupted while pushing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CloudException c) {
        throw c;
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Queues the storing of one push's answers, after the previous one is stored. */
  private void complete(
      InFlight pushed,
      List<OpResult> results,
      Map<String, Long> pushedVersions,
      List<long[]> ownSeqs,
      long[] totals,
      Future<?>[] pending)
      throws CloudException {
    await(pending[0]);
    addOwnSeqs(ownSeqs, results);
    List<OutboxEntry> batch = pushed.batch();
    pending[0] =
        completer.submit(
            () -> {
              Outbox.Completion done = outbox.complete(batch, results);
              long maxVersion = 0;
              for (int i = 0; i < results.size(); i++) {
                OpResult r = results.get(i);
                RecordState rec = r.record();
                if (rec != null) {
                  maxVersion = Math.max(maxVersion, rec.version());
                  if (pushedVersions.size() < MAX_REMEMBERED) {
                    pushedVersions.put(key(rec), rec.version());
                  }
                } else if (r.outcome() == Outcome.APPLIED
                    && pushedVersions.size() < MAX_REMEMBERED) {
                  // Applied as written: the cloud holds the op's own version.
                  OutboxEntry e = batch.get(i);
                  pushedVersions.put(key(e.collection(), e.recordId()), e.hlc());
                }
              }
              if (maxVersion > 0) {
                hlc.receive(maxVersion);
              }
              totals[0] += done.done();
              totals[1] += done.rejected();
              totals[2] += done.toReview();
              pushedTotal.addAndGet(done.done());
            });
  }

  private static String key(RecordState r) {
    return key(r.collection(), r.id());
  }

  private static String key(String collection, String id) {
    return collection + '\u0000' + id;
  }

  /**
   * Notes the seqs one push was given. The cloud numbers the changes of one push consecutively
   * under the tenant lock, so the lowest to the highest seq of its applied and merged ops are all
   * this push's; ranges of consecutive pushes join when no other writer came in between.
   */
  static void addOwnSeqs(List<long[]> ranges, List<OpResult> results) {
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    for (OpResult r : results) {
      if (r.seq() != null && (r.outcome() == Outcome.APPLIED || r.outcome() == Outcome.MERGED)) {
        from = Math.min(from, r.seq());
        to = Math.max(to, r.seq());
      }
    }
    if (from > to) {
      return;
    }
    // Pushes in flight together may be numbered in either order: keep the ranges sorted and
    // joined, so a drain still fits in a few.
    int at = 0;
    while (at < ranges.size() && ranges.get(at)[0] < from) {
      at++;
    }
    ranges.add(at, new long[] {from, to});
    for (int i = Math.max(0, at - 1); i + 1 < ranges.size(); ) {
      long[] left = ranges.get(i);
      long[] right = ranges.get(i + 1);
      if (left[1] + 1 >= right[0]) {
        left[1] = Math.max(left[1], right[1]);
        ranges.remove(i + 1);
      } else if (i > at) {
        break;
      } else {
        i++;
      }
    }
    // Past the cap the pull simply serves those echoes: fewer ranges skip less, never more.
    while (ranges.size() > MAX_OWN_RANGES) {
      ranges.remove(ranges.size() - 1);
    }
  }

  private static void await(Future<?> f) throws CloudException {
    if (f == null) {
      return;
    }
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CloudException.unreachable("interrupted while storing push answers", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IllegalArgumentException bad) {
        throw CloudException.status("the cloud answered a push out of protocol: " + bad, 502);
      }
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Pulls the feed until it has no more; returns how many changes it received. Changes that only
   * echo what this cycle's push already stored (same record, same version) are not written again,
   * and applying page k overlaps fetching page k+1.
   */
  private long pull(Map<String, Long> pushedVersions, List<long[]> ownSeqs) throws CloudException {
    CloudClient.OwnWrites own =
        ownSeqs.isEmpty() ? null : new CloudClient.OwnWrites(nodeId, ownSeqs);
    long total = 0;
    boolean[] devicesChanged = {false};
    Future<?> pending = null;
    long since = lastPulledSeq.get();
    try {
      while (!closed) {
        PullResponse page = cloud.pull(since, PULL_LIMIT, own);
        long next = Math.max(since, page.nextSince());
        boolean progressed = next > since;
        await(pending);
        pending = completer.submit(() -> applyPage(page, next, pushedVersions, devicesChanged));
        since = next;
        total += page.changes().size();
        pulledTotal.addAndGet(page.changes().size());
        // A page may be empty yet move the cursor past this edge's own writes.
        if (!page.hasMore() || (!progressed && page.changes().isEmpty())) {
          break;
        }
      }
    } finally {
      await(pending);
    }
    if (devicesChanged[0]) {
      devices.reload();
    }
    return total;
  }

  private void applyPage(
      PullResponse page, long next, Map<String, Long> pushedVersions, boolean[] devicesChanged) {
    List<RecordState> records = new ArrayList<>(page.changes().size());
    List<RecordState> deviceRecords = new ArrayList<>();
    long maxVersion = 0;
    for (Change c : page.changes()) {
      RecordState r = c.record();
      if (r.collection().equals(DeviceDirectory.COLLECTION)) {
        deviceRecords.add(r);
      } else if (!r.collection().startsWith("_")) {
        maxVersion = Math.max(maxVersion, r.version());
        Long pushed = pushedVersions.get(key(r));
        if (pushed == null || pushed != r.version()) {
          records.add(r);
        }
      }
    }
    if (!records.isEmpty() || !deviceRecords.isEmpty()) {
      jdbi.useTransaction(
          h -> {
            RecordStore.applyCanonical(h, records);
            DeviceDirectory.apply(h, deviceRecords);
            SyncState.put(h, SyncState.LAST_PULLED_SEQ, Long.toString(next));
          });
      storedPulledSeq.set(next);
    }
    if (maxVersion > 0) {
      hlc.receive(maxVersion);
    }
    lastPulledSeq.set(next);
    devicesChanged[0] |= !deviceRecords.isEmpty();
    if (!records.isEmpty()) {
      try {
        onPulled.accept(records);
      } catch (RuntimeException e) {
        log.warn("a listener of pulled changes failed: {}", e.toString());
      }
    }
  }

  /** Runs {@code listener} when a cycle succeeds after an outage, on the syncer's thread. */
  public void onBackOnline(Runnable listener) {
    this.onBackOnline = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Hears of the records each pulled page stored (after its commit), on the syncer's thread: work
   * that follows the cloud's changes, such as stock on hand after a cloud count. One listener.
   */
  public void onPulled(Consumer<List<RecordState>> listener) {
    this.onPulled = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Tells the cloud how this edge's queue stands, for its dashboards: at once when it changes in a
   * way an operator sees (queue emptied or started filling, failures), else at most every {@link
   * #REPORT_EVERY}. A busy edge syncs every few tens of milliseconds, and a report each time would
   * be a request and a durable write in the cloud each time.
   */
  private void report(long cycleMillis) {
    QueueSnapshot after = outbox.snapshot();
    long oldestAge = after.oldestCreatedAt().map(t -> clock.millis() - t).orElse(0L);
    CloudClient.Report now =
        new CloudClient.Report(
            after.total(), Math.max(0, oldestAge), cycleMillis, consecutiveFailures.get());
    CloudClient.Report last = reported;
    boolean noticeable =
        last == null
            || (last.pendingCount() == 0) != (now.pendingCount() == 0)
            || last.consecutiveFailures() != now.consecutiveFailures();
    if (!noticeable && System.nanoTime() - reportedNanos < REPORT_EVERY.toNanos()) {
      return;
    }
    try {
      cloud.report(now);
      reported = now;
      reportedNanos = System.nanoTime();
    } catch (CloudException e) {
      log.debug("sync report not accepted: {}", e.getMessage());
    }
  }

  private void onSuccess(QueueSnapshot before, long[] push, long pushNanos, long millis) {
    long now = clock.millis();
    boolean wasOnline = online;
    // Only a failure stores OFFLINE_SINCE, so after a clean run of cycles there is none to read.
    String offlineSince =
        wasOnline && consecutiveFailures.get() == 0
            ? null
            : state.get(SyncState.OFFLINE_SINCE).orElse(null);
    boolean measuredRate = push[0] >= 100 && pushNanos > 0;
    // A busy edge succeeds every few tens of milliseconds: its time of last sync is stored at most
    // every BOOKKEEP_EVERY (in memory it is exact), unless the state changed, so routine cycles
    // do not each add a durable write beside the terminals' own.
    boolean changed = !wasOnline || offlineSince != null || consecutiveFailures.get() != 0;
    if (changed
        || measuredRate
        || !bookkept
        || System.nanoTime() - bookkeptNanos >= BOOKKEEP_EVERY.toNanos()) {
      storeBookkeeping(now, millis, !wasOnline, measuredRate ? push[0] * 1e9 / pushNanos : -1);
    }
    if (!wasOnline) {
      if (offlineSince != null) {
        log.info(
            "back online after {} with {} pending",
            human(Duration.ofMillis(now - Long.parseLong(offlineSince))),
            before.total());
        try {
          onBackOnline.run();
        } catch (RuntimeException e) {
          log.warn("a listener of the link's return failed: {}", e.toString());
        }
      } else {
        log.info("online: connected to the cloud with {} pending", before.total());
      }
    }
    online = true;
    consecutiveFailures.set(0);
    lastSuccessMillis.set(now);
    successMillisTotal.addAndGet(millis);
    successes.incrementAndGet();
  }

  private void storeBookkeeping(long now, long cycleMillis, boolean cameOnline, double pushRate) {
    long pulledTo = lastPulledSeq.get();
    jdbi.useTransaction(
        h -> {
          if (cameOnline) {
            SyncState.put(h, SyncState.ONLINE_SINCE, Long.toString(now));
          }
          SyncState.put(h, SyncState.OFFLINE_SINCE, null);
          SyncState.put(h, SyncState.CONSECUTIVE_FAILURES, "0");
          SyncState.put(h, SyncState.LAST_ERROR, null);
          SyncState.put(h, SyncState.LAST_SYNC_AT, Long.toString(now));
          SyncState.put(h, SyncState.LAST_CYCLE_MS, Long.toString(cycleMillis));
          if (pushRate >= 0) {
            SyncState.put(h, SyncState.PUSH_RATE, Long.toString(Math.round(pushRate)));
          }
          if (pulledTo != storedPulledSeq.get()) {
            SyncState.put(h, SyncState.LAST_PULLED_SEQ, Long.toString(pulledTo));
          }
        });
    storedPulledSeq.set(pulledTo);
    bookkeptNanos = System.nanoTime();
    bookkeptSuccessMillis = now;
    bookkept = true;
  }

  /** On a stop: what routine cycles left in memory only (the last sync's time, the cursor). */
  private void storeLeftoverBookkeeping() {
    long lastSuccess = lastSuccessMillis.get();
    long pulledTo = lastPulledSeq.get();
    if (lastSuccess == bookkeptSuccessMillis && pulledTo == storedPulledSeq.get()) {
      return;
    }
    try {
      jdbi.useTransaction(
          h -> {
            if (lastSuccess != bookkeptSuccessMillis && lastSuccess >= 0) {
              SyncState.put(h, SyncState.LAST_SYNC_AT, Long.toString(lastSuccess));
            }
            SyncState.put(h, SyncState.LAST_PULLED_SEQ, Long.toString(pulledTo));
          });
      storedPulledSeq.set(pulledTo);
    } catch (RuntimeException e) {
      log.debug("sync bookkeeping not stored on stop: {}", e.toString());
    }
  }

  private void onFailure(CloudException e, long pending) {
    if (closed) {
      return; // interrupted by close(): not an outage
    }
    failures.incrementAndGet();
    long n = consecutiveFailures.incrementAndGet();
    long now = clock.millis();
    boolean wentOffline = e.unreachable() && online;
    boolean firstContactFailed =
        e.unreachable() && !online && state.get(SyncState.OFFLINE_SINCE).isEmpty();
    jdbi.useTransaction(
        h -> {
          SyncState.put(h, SyncState.CONSECUTIVE_FAILURES, Long.toString(n));
          SyncState.put(h, SyncState.LAST_ERROR, e.getMessage());
          if (wentOffline || firstContactFailed) {
            SyncState.put(h, SyncState.OFFLINE_SINCE, Long.toString(now));
          }
        });
    if (wentOffline || firstContactFailed) {
      log.warn("went offline: {}; {} ops queued", e.getMessage(), pending);
    } else if (!e.unreachable()) {
      log.warn("sync cycle failed ({} in a row): {}", n, e.getMessage());
    } else {
      log.debug("still offline ({} failed attempts): {}", n, e.getMessage());
    }
    if (n == config.get().retryAttempts()) {
      // Once per streak: the location's status is now "error". Retries go on, ops keep queuing.
      log.error(
          "ALERT: {} sync attempts in a row failed (retry_attempts {}); {} ops queued; last error: {}."
              + " Local work goes on; check the link to the cloud and the cloud's health.",
          n,
          config.get().retryAttempts(),
          pending,
          e.getMessage());
    }
    if (e.unreachable()) {
      online = false;
    }
  }

  /** "2 min 5 s" style durations for log lines. */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return (s / 60) + " min " + (s % 60) + " s";
    }
    return (s / 3600) + " h " + (s % 3600 / 60) + " min";
  }

  @Override
  public void close() {
    closed = true;
    if (channel != null) {
      channel.close();
    }
    scheduleLock.lock();
    try {
      scheduleChanged.signalAll();
    } finally {
      scheduleLock.unlock();
    }
    for (Thread t : new Thread[] {poller, loop}) {
      if (t != null) {
        t.interrupt();
      }
    }
    // The loop's cycle may still be storing answers: let it end before its executors go.
    for (Thread t : new Thread[] {poller, loop}) {
      if (t != null) {
        try {
          t.join(5_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    completer.shutdown();
    sender.shutdown();
    try {
      completer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    storeLeftoverBookkeeping();
  }
}
