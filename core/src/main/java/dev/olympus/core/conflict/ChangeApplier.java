package dev.olympus.core.conflict;

import dev.olympus.core.clock.HybridLogicalClock;
import dev.olympus.core.sync.ApiError;
import dev.olympus.core.sync.CollectionPolicy;
import dev.olympus.core.sync.Op;
import dev.olympus.core.sync.OpAction;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.RecordState;
import dev.olympus.core.sync.Strategy;
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

    HybridLogicalClock.Receipt receipt = clock.receive(op.hlc());
    boolean skewed = receipt.skewed();
    long opVersion = skewed ? clock.now() : op.hlc();
    String opOrigin = skewed ? nodeId : op.nodeId();

    if (op.action() == OpAction.PATCH && op.data().isEmpty()) {
      return rejected(current, "empty_patch", "a patch needs at least one field to change", "data");
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
    boolean conflict = server.version() != op.baseVersion();
    if (strategy.kind() == Strategy.Kind.MERGE) {
      // Field-level last write wins commutes, so a merge collection merges every write, concurrent
      // or not, and replicas reach the same record whatever order the writes arrive in.
      RecordState merged = merge(server, op, opVersion, opOrigin);
      boolean changed = !merged.equals(server);
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
    }
    Outcome outcome =
        changed && resolved.sameContentAs(incoming) ? Outcome.APPLIED : Outcome.MERGED;
    return new Application(outcome, Optional.of(resolved), changed, true, skewed, null);
  }

  private Application appendOnly(RecordState server, Op op, boolean skewed) {
    if (op.action() == OpAction.PUT && !server.deleted() && server.data().equals(op.data())) {
      // The same insert again (a re-sent record under a new op id): nothing to do.
      return new Application(Outcome.APPLIED, Optional.of(server), false, false, skewed, null);
    }
    return rejected(
        Optional.of(server),
        "append_only",
        op.collection()
            + " is append-only: "
            + op.collection()
            + "/"
            + op.recordId()
            + " exists and is never changed or deleted; write a new record (for example a"
            + " reversal) instead",
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
    if (incoming.version() > server.version()) {
      return incoming;
    }
    long version = clock.now();
    return new RecordState(
        incoming.collection(),
        incoming.id(),
        incoming.data(),
        version,
        nodeId,
        incoming.fieldVersions().isEmpty() ? Map.of() : stampAll(incoming, version),
        incoming.deleted());
  }

  /** Field-level last write wins: each field keeps the value of its latest write. */
  private RecordState merge(RecordState server, Op op, long opVersion, String opOrigin) {
    Map<String, Object> data = new LinkedHashMap<>(server.data());
    Map<String, Long> versions = new HashMap<>(server.fieldVersions());
    boolean deleted = server.deleted();
    // The delete flag is one more field: a delete sets it, a put clears it, a patch leaves it.
    // Tombstones keep their fields, so a later put restores the same record in any order.
    if (op.action() == OpAction.DELETE) {
      if (opVersion > versions.getOrDefault(RecordState.DELETED_FIELD, 0L)) {
        deleted = true;
        versions.put(RecordState.DELETED_FIELD, opVersion);
      }
    } else {
      for (Map.Entry<String, Object> e : op.data().entrySet()) {
        if (opVersion > versions.getOrDefault(e.getKey(), 0L)) {
          data.put(e.getKey(), e.getValue());
          versions.put(e.getKey(), opVersion);
        }
      }
      if (op.action() == OpAction.PUT
          && deleted
          && opVersion > versions.getOrDefault(RecordState.DELETED_FIELD, 0L)) {
        deleted = false;
        versions.put(RecordState.DELETED_FIELD, opVersion);
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
    if (keepFieldVersions) {
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
