package dev.olympus.core.conflict;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.CollectionPolicy;
import dev.olympus.core.sync.Op;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.Strategy;
import dev.olympus.core.sync.UniformFieldVersions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Applies ops to records by their collection's strategy: the heart of conflict resolution, used by
 * the cloud on every push and by the tests that check replicas converge.
 *
 * <p>An op whose {@code base_version} equals the record's current version is a plain write. A
 * different version means someone else changed the record since the op's writer saw it, and the
 * strategy decides. Versions are hybrid logical clocks: an op applied as written keeps its own
 * clock (so a second op from the same writer, based on the first, is not a conflict); a merged
 * result gets this node's clock. An op whose clock is more than the allowed skew ahead is stamped
 * with this node's clock and flagged.
 *
 * <p>Outside {@code merge}, every change gives the record a greater version than it had (a write
 * that wins a tie of clocks on its node id is restamped with this node's clock), so a base version
 * names one state of the record. {@code merge} ignores base versions: each field keeps its latest
 * write, ties of equal clocks are broken by value, and the result is the same in any delivery
 * order. {@code append_only} accepts only inserts: a put of a new record, or the same put again.
 */
public final class ChangeApplier {
  private final HybridLogicalClock clock;
  private final String nodeId;
  private final Map<String, ConflictResolver> customResolvers;

  /**
   * @param clock this node's clock
   * @param nodeId this node's id, the origin of the versions it assigns
   * @param customResolvers resolvers by name for {@code custom:<name>} strategies
   */
  public ChangeApplier(
      HybridLogicalClock clock, String nodeId, Map<String, ConflictResolver> customResolvers) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.customResolvers = Map.copyOf(customResolvers);
  }

  /** The resolvers every node knows: {@code orders}. */
  public static Map<String, ConflictResolver> builtInResolvers() {
    return Map.of("orders", new OrderResolver());
  }

  /** Whether a {@code custom:<name>} strategy can be resolved here. */
  public boolean knowsResolver(String name) {
    return customResolvers.containsKey(name);
  }

  /**
   * Applies {@code op} to {@code current} (absent for a record never seen).
   *
   * @param policy the op's collection policy
   */
  public Application apply(Optional<RecordState> current, Op op, CollectionPolicy policy) {
    Strategy strategy = policy.strategy();
    boolean keepFieldVersions =
        strategy.kind() == Strategy.Kind.MERGE || strategy.kind() == Strategy.Kind.CUSTOM;

    // Absorb the stored version too (a restarted node's clock has not seen it), so that versions
    // this node assigns come after it.
    current.ifPresent(state -> clock.receive(state.version()));
    HybridLogicalClock.Receipt receipt = clock.receive(op.hlc());
    boolean skewed = receipt.skewed();
    long opVersion = skewed ? clock.now() : op.hlc();
    String opOrigin = skewed ? nodeId : op.nodeId();

    if (op.action() == OpAction.PATCH && op.data().isEmpty()) {
      return rejected(current, "empty_patch", "a patch needs at least one field to change", "data");
    }
    if (strategy.kind() == Strategy.Kind.APPEND_ONLY && op.action() != OpAction.PUT) {
      // Also for a record not seen yet: a delete would leave a tombstone that refuses the insert
      // arriving after it, so the outcome would depend on delivery order.
      return appendOnlyRejection(current, op);
    }
    if (current.isEmpty()) {
      if (op.action() == OpAction.PATCH) {
        return rejected(
            current,
            "not_found",
            op.collection() + "/" + op.recordId() + " does not exist: PUT the whole record first",
            "id");
      }
      RecordState created =
          strategy.kind() == Strategy.Kind.MERGE
              ? merge(
                  new RecordState(op.collection(), op.recordId(), Map.of(), 0, "", Map.of(), false),
                  op,
                  opVersion,
                  opOrigin)
              : proposed(null, op, opVersion, opOrigin, keepFieldVersions);
      return new Application(Outcome.APPLIED, Optional.of(created), true, false, skewed, null);
    }

    RecordState server = current.get();
    if (strategy.kind() == Strategy.Kind.APPEND_ONLY) {
      return appendOnly(server, op, skewed);
    }
    boolean conflict = !op.isBasedOn(server);
    if (strategy.kind() == Strategy.Kind.MERGE) {
      // Field-level last write wins commutes, so a merge collection merges every write, concurrent
      // or not, and replicas reach the same record whatever order the writes arrive in.
      RecordState merged = merge(server, op, opVersion, opOrigin);
      boolean changed = !merged.equals(server);
      if (conflict && changed) {
        merged = distinctFromWritersCopy(merged, op, opOrigin);
      }
      return new Application(
          conflict && changed ? Outcome.MERGED : Outcome.APPLIED,
          Optional.of(changed ? merged : server),
          changed,
          conflict,
          skewed,
          null);
    }
    if (!conflict) {
      if (op.action() == OpAction.PATCH && server.deleted()) {
        return rejected(
            current,
            "record_deleted",
            op.collection()
                + "/"
                + op.recordId()
                + " was deleted: PUT the whole record to recreate it",
            "id");
      }
      long version = opVersion > server.version() ? opVersion : clock.now();
      String origin = opVersion > server.version() ? opOrigin : nodeId;
      RecordState next = proposed(server, op, version, origin, keepFieldVersions);
      return new Application(Outcome.APPLIED, Optional.of(next), true, false, skewed, null);
    }

    RecordState incoming = proposed(server, op, opVersion, opOrigin, keepFieldVersions);
    RecordState resolved =
        switch (strategy.kind()) {
          case LAST_WRITE_WINS -> LastWriteWins.isNewer(incoming, server) ? incoming : server;
          case SERVER_WINS -> server;
          case CLIENT_WINS -> restamp(incoming, server);
          case MERGE -> throw new AssertionError("handled above");
          case CUSTOM -> customResolve(strategy.customName(), server, incoming);
          case APPEND_ONLY -> throw new AssertionError("handled above");
        };
    boolean changed = resolved != server && !sameState(resolved, server);
    if (!changed) {
      resolved = server;
    } else if (Long.compareUnsigned(resolved.version(), server.version()) <= 0) {
      // A write with the same clock as the record won on its node id. The version must still
      // grow: it is what later ops name as their base, and two states under one version would
      // let an op based on the losing one pass as a plain write.
      resolved = restampAll(resolved, clock.now());
    }
    if (changed) {
      resolved = distinctFromWritersCopy(resolved, op, opOrigin);
    }
    Outcome outcome =
        changed && resolved.sameContentAs(incoming) ? Outcome.APPLIED : Outcome.MERGED;
    return new Application(outcome, Optional.of(resolved), changed, true, skewed, null);
  }

  /**
   * A resolution that carries the writer's version must hold exactly what the writer holds under
   * that version: later ops name it as their base, and the writer skips pulling it back as its own.
   * A patch (or a merge) that met a concurrent edit yields other fields than the writer's copy, so
   * such a result takes this node's clock: the writer then sees a new version and stores the
   * canonical record.
   */
  private RecordState distinctFromWritersCopy(RecordState resolved, Op op, String opOrigin) {
    if (!resolved.origin().equals(opOrigin)) {
      return resolved;
    }
    boolean writerHoldsIt =
        switch (op.action()) {
          case PUT -> !resolved.deleted() && resolved.data().equals(op.data());
          case DELETE -> resolved.deleted() && resolved.data().isEmpty();
          case PATCH -> false;
        };
    if (writerHoldsIt) {
      return resolved;
    }
    return new RecordState(
        resolved.collection(),
        resolved.id(),
        resolved.data(),
        clock.now(),
        nodeId,
        resolved.fieldVersions(),
        resolved.deleted());
  }

  private Application appendOnly(RecordState server, Op op, boolean skewed) {
    if (op.action() == OpAction.PUT && !server.deleted() && server.data().equals(op.data())) {
      // The same insert again (a re-sent record under a new op id): nothing to do.
      return new Application(Outcome.APPLIED, Optional.of(server), false, false, skewed, null);
    }
    return appendOnlyRejection(Optional.of(server), op);
  }

  private static Application appendOnlyRejection(Optional<RecordState> current, Op op) {
    return rejected(
        current,
        "append_only",
        op.collection()
            + " is append-only: "
            + op.collection()
            + "/"
            + op.recordId()
            + " can only be inserted, never changed or deleted; write a new record (for"
            + " example a reversal) instead",
        "id");
  }

  private RecordState customResolve(String name, RecordState server, RecordState incoming) {
    ConflictResolver resolver = customResolvers.get(name);
    if (resolver == null) {
      // Configuration is validated on write, so this is a resolver removed from the code.
      throw new IllegalStateException("no resolver named '" + name + "' for custom:" + name);
    }
    RecordState content = resolver.resolve(server, incoming);
    long version = clock.now();
    return new RecordState(
        server.collection(),
        server.id(),
        content.data(),
        version,
        nodeId,
        stampAll(content, version),
        content.deleted());
  }

  private RecordState restamp(RecordState incoming, RecordState server) {
    if (Long.compareUnsigned(incoming.version(), server.version()) > 0) {
      return incoming;
    }
    return restampAll(incoming, clock.now());
  }

  /** {@code state} as written by this node at {@code version}. */
  private RecordState restampAll(RecordState state, long version) {
    return new RecordState(
        state.collection(),
        state.id(),
        state.data(),
        version,
        nodeId,
        state.fieldVersions().isEmpty() ? Map.of() : stampAll(state, version),
        state.deleted());
  }

  /**
   * Field-level last write wins: each field keeps the value of its latest write. Field versions
   * carry no node id, so two writes of one field with equal clocks are ordered by their values;
   * either way every replica keeps the same value whatever order the writes arrive in.
   */
  private RecordState merge(RecordState server, Op op, long opVersion, String opOrigin) {
    Map<String, Object> data = new LinkedHashMap<>(server.data());
    Map<String, Long> versions = new HashMap<>(server.fieldVersions());
    boolean deleted = server.deleted();
    // The delete flag is one more field: a delete sets it, a put clears it, a patch leaves it.
    // Tombstones keep their fields, so a later put restores the same record in any order. A put
    // stamps the flag even on a live record, or an older delete arriving after it would win.
    if (op.action() != OpAction.PATCH) {
      boolean opDeleted = op.action() == OpAction.DELETE;
      if (fieldWins(
          opVersion, opDeleted, versions.getOrDefault(RecordState.DELETED_FIELD, 0L), deleted)) {
        deleted = opDeleted;
        versions.put(RecordState.DELETED_FIELD, opVersion);
      }
    }
    if (op.action() != OpAction.DELETE) {
      for (Map.Entry<String, Object> e : op.data().entrySet()) {
        if (fieldWins(
            opVersion, e.getValue(), versions.getOrDefault(e.getKey(), 0L), data.get(e.getKey()))) {
          data.put(e.getKey(), e.getValue());
          versions.put(e.getKey(), opVersion);
        }
      }
    }
    boolean opNewer = LastWriteWins.isNewer(opVersion, opOrigin, server.version(), server.origin());
    return new RecordState(
        server.collection(),
        server.id(),
        data,
        opNewer ? opVersion : server.version(),
        opNewer ? opOrigin : server.origin(),
        versions,
        deleted);
  }

  /**
   * Whether a write of {@code value} at {@code version} replaces {@code current} set at its own.
   */
  private static boolean fieldWins(
      long version, Object value, long currentVersion, Object current) {
    int byClock = Long.compareUnsigned(version, currentVersion);
    if (byClock != 0) {
      return byClock > 0;
    }
    return CanonicalJson.of(value).compareTo(CanonicalJson.of(current)) > 0;
  }

  /** The record as {@code op} leaves it when applied to {@code base} (null: no record). */
  private static RecordState proposed(
      RecordState base, Op op, long version, String origin, boolean keepFieldVersions) {
    Map<String, Object> data;
    boolean deleted;
    switch (op.action()) {
      case PUT -> {
        data = op.data();
        deleted = false;
      }
      case PATCH -> {
        Map<String, Object> merged = new LinkedHashMap<>(base == null ? Map.of() : base.data());
        merged.putAll(op.data());
        data = merged;
        deleted = false;
      }
      case DELETE -> {
        data = Map.of();
        deleted = true;
      }
      default -> throw new AssertionError(op.action());
    }
    Map<String, Long> fieldVersions = Map.of();
    if (keepFieldVersions
        && op.action() == OpAction.PUT
        && (base == null || !base.deleted())
        && !op.data().containsKey(RecordState.DELETED_FIELD)) {
      // A whole record over a live one (or none): every field is this write's.
      fieldVersions = new UniformFieldVersions(op.data().keySet(), version);
    } else if (keepFieldVersions) {
      Map<String, Long> fv = new HashMap<>(base == null ? Map.of() : base.fieldVersions());
      if (op.action() == OpAction.PUT) {
        fv.keySet().retainAll(op.data().keySet());
      }
      for (String field : op.data().keySet()) {
        fv.put(field, version);
      }
      if (op.action() == OpAction.DELETE || (base != null && base.deleted())) {
        fv.put(RecordState.DELETED_FIELD, version);
      }
      fieldVersions = fv;
    }
    return new RecordState(
        op.collection(), op.recordId(), data, version, origin, fieldVersions, deleted);
  }

  private static Map<String, Long> stampAll(RecordState content, long version) {
    Map<String, Long> fv = new HashMap<>();
    for (String field : content.data().keySet()) {
      fv.put(field, version);
    }
    fv.put(RecordState.DELETED_FIELD, version);
    return fv;
  }

  private static boolean sameState(RecordState a, RecordState b) {
    return a.sameContentAs(b) && a.version() == b.version();
  }

  private static Application rejected(
      Optional<RecordState> current, String code, String message, String field) {
    return new Application(
        Outcome.REJECTED, current, false, false, false, new ApiError(code, message, field));
  }
}
