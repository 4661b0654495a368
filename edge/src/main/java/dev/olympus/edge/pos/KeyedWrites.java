package dev.olympus.edge.pos;

import dev.olympus.core.orders.OrderRuleException;
import dev.olympus.core.sync.ApiError;
import dev.olympus.edge.store.LanOps;
import dev.olympus.edge.store.LocalRecord;
import dev.olympus.edge.store.RecordStore;
import dev.olympus.edge.store.WriteRefusedException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a LAN write sent with an {@code Idempotency-Key} so that a refusal is an outcome like a
 * success: a write refused with 400, 402 or 409 by the edge's rules (an unknown menu item, a card
 * over the offline limit, a punch out of sequence) is remembered under its key, and the retry is
 * answered with that same refusal instead of being decided again against a state that may have
 * changed since (the card limit refilled, the employee clocked in meanwhile). As Stripe does, a
 * request refused before its write began (a malformed body, a missing field) is not remembered: it
 * never reached a decision, and the same body gets the same answer anyway. 401, 403, 404, 429 and
 * 503 are not remembered either: they say who may ask, or when to ask again.
 */
public final class KeyedWrites {
  private static final Logger log = LoggerFactory.getLogger(KeyedWrites.class);

  /** The statuses of decisions a retry must get again. */
  public static final Set<Integer> REMEMBERED = Set.of(400, 402, 409);

  private KeyedWrites() {}

  /**
   * Decides a keyed write: with a key, a refusal remembered for it is thrown again first, and a new
   * refusal thrown by {@code decision} (checks before its transaction and inside it) is remembered
   * for the next retry. A success replay stays the decision's own business (it finds its key's
   * outcome inside its transaction, as before).
   *
   * @param key the request's Idempotency-Key, or null
   * @param collection the collection the write creates its record in
   * @param recordId the id of the record the write creates (the refused one for a refusal)
   * @param decision the checks and the write's transaction
   */
  public static <T> T decide(
      RecordStore records, String key, String collection, String recordId, Supplier<T> decision) {
    if (key == null) {
      return decision.get();
    }
    Optional<LanOps.Outcome> refused = records.rememberedRefusal(key);
    if (refused.isPresent()) {
      LanOps.Outcome first = refused.get();
      if (!first.collection().equals(collection)) {
        throw reused(key, first, "new write");
      }
      throw ApiException.replayed(first.status(), first.error().get());
    }
    try {
      return decision.get();
    } catch (ApiException e) {
      if (!e.isReplayed()) {
        remember(records, key, collection, recordId, e.status(), e.error());
      }
      throw e;
    } catch (WriteRefusedException e) {
      remember(records, key, collection, recordId, e.status(), e.error());
      throw e;
    } catch (OrderRuleException e) {
      // Answered 409 by the LAN API (403 for a missing privilege, which is not remembered).
      if (!"privilege_required".equals(e.refusal().code())) {
        remember(
            records,
            key,
            collection,
            recordId,
            409,
            new ApiError(e.refusal().code(), e.refusal().message(), "status"));
      }
      throw e;
    }
  }

  private static void remember(
      RecordStore records, String key, String collection, String id, int status, ApiError error) {
    if (!REMEMBERED.contains(status) || LanOps.KEY_REUSED.equals(error.code())) {
      return;
    }
    records.rememberRefusal(key, collection, id, status, error);
    log.info(
        "write {}/{} under Idempotency-Key {} refused {} {}: its retry gets the same answer",
        collection,
        id,
        key,
        status,
        error.code());
  }

  /**
   * The 409 for an {@code Idempotency-Key} whose first write went to another collection: the client
   * reused a key it should have made new for this {@code what} (a movement, a punch, …).
   */
  public static ApiException reused(String key, LanOps.Outcome first, String what) {
    return new ApiException(
        409, first.reusedBy(key, ": send a new key (a UUIDv7) with each " + what));
  }

  /**
   * The record a retried key's first write made in {@code collection}, to answer the retry with; a
   * 409 ({@link #reused}) when the key's first write went elsewhere.
   */
  public static LocalRecord firstRecord(
      RecordStore.Tx tx, String key, LanOps.Outcome first, String collection, String what) {
    if (!first.collection().equals(collection)) {
      throw reused(key, first, what);
    }
    return tx.find(collection, first.recordId())
        .orElseThrow(() -> new IllegalStateException(what + " " + first.recordId() + " is gone"));
  }
}
