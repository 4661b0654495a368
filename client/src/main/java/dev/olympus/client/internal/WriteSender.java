package dev.olympus.client.internal;

import dev.olympus.client.HeldWrite;
import dev.olympus.client.OfflineQueue;
import dev.olympus.client.PendingWrite;
import dev.olympus.client.WriteFailure;
import dev.olympus.client.WriteFailureListener;
import dev.olympus.client.WriteMethod;
import dev.olympus.client.WriteRejectedException;
import dev.olympus.client.WriteResult;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends writes to the records API of the connected endpoint, one at a time and in order, with the
 * op id as {@code Idempotency-Key}. A write that cannot go now (offline, network error, 5xx, 429)
 * goes to the {@link OfflineQueue} and is retried with the same op id; a 4xx is reported and
 * dropped. All work runs on one writer thread of its own, so blocking HTTP never stalls delivery.
 *
 * <p>One 4xx is not final: a PATCH or DELETE answered {@code 404 not_found} by a fallback endpoint
 * (not the first, preferred one). The record was most likely created through the edge, which went
 * down before passing it on, so the write is <em>held</em> (see {@link HeldWrite}) at the head of
 * the queue and retried until the missing-record timeout. The queue stays strictly ordered: a held
 * write holds every write behind it, also those to other records. That keeps per-record order
 * without tracking which writes touch which record, and a fallback that lacks one of the edge's
 * records probably lacks more of them.
 */
public final class WriteSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WriteSender.class);
  private static final MediaType JSON = MediaType.get("application/json");

  private enum Kind {
    APPLIED,
    REJECTED,
    RETRY,
    /** A fallback endpoint does not know the record (yet): hold the write. */
    HOLD
  }

  /**
   * How many 404s a held write may get from fallback endpoints. The cloud counts rejections per op
   * id and, at its {@code retry_attempts} (default 3), parks the op for review and refuses it from
   * then on, even when the edge later pushes the same op: so stay below that.
   */
  static final int FALLBACK_TRIES = 2;

  private record Outcome(Kind kind, int status, Map<String, Object> body, String why) {}

  private final OfflineQueue queue;
  private final OkHttpClient http;
  private final String token;
  private final ScheduledExecutorService scheduler;
  private final Backoff backoff;
  private final Listeners<WriteFailure, WriteFailureListener> failureListeners;
  private final String preferred;
  private final Clock clock;
  private final Duration missingRecordTimeout;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "olympus-client-writer");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, CompletableFuture<WriteResult>> futures = new ConcurrentHashMap<>();
  private final AtomicInteger unsettled;
  private volatile String endpoint;
  private int retryAttempt;
  private ScheduledFuture<?> retry;
  private volatile HeldWrite held;
  private int fallbackTries;

  /**
   * A sender over {@code queue}, whose writes already count as pending.
   *
   * @param preferred the first endpoint, whose 404 is final
   * @param clock tells when a held write is given up
   * @param missingRecordTimeout how long a write a fallback answered 404 is held
   */
  public WriteSender(
      OfflineQueue queue,
      OkHttpClient http,
      String token,
      ScheduledExecutorService scheduler,
      Backoff backoff,
      Listeners<WriteFailure, WriteFailureListener> failureListeners,
      String preferred,
      Clock clock,
      Duration missingRecordTimeout) {
    this.queue = queue;
    this.http = http;
    this.token = token;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.failureListeners = failureListeners;
    this.preferred = preferred;
    this.clock = clock;
    this.missingRecordTimeout = missingRecordTimeout;
    this.unsettled = new AtomicInteger(queue.size());
  }

  /** Writes made and not yet applied or refused by a server (queued, held or in flight). */
  public int pending() {
    return unsettled.get();
  }

  /** The write holding the queue because a fallback endpoint lacks its record, if any. */
  public Optional<HeldWrite> held() {
    return Optional.ofNullable(held);
  }

  /** Sends {@code w} now if connected and nothing is queued before it, else queues it. */
  public CompletableFuture<WriteResult> submit(PendingWrite w) {
    CompletableFuture<WriteResult> f = new CompletableFuture<>();
    futures.put(w.opId(), f);
    unsettled.incrementAndGet();
    thread.execute(
        () -> {
          String ep = endpoint;
          if (ep == null || queue.size() > 0) {
            persist(w);
            return;
          }
          Outcome o = send(ep, w);
          if (o.kind == Kind.RETRY) {
            persist(w);
            scheduleRetry(o);
          } else if (o.kind == Kind.HOLD) {
            persist(w);
            scheduleHeldRetry(hold(w, ep));
          } else {
            settle(w, o);
          }
        });
    return f;
  }

  /** The connected endpoint changed; on connect, the queue is flushed. */
  public void endpoint(String baseUrl) {
    endpoint = baseUrl;
    if (baseUrl != null) {
      thread.execute(
          () -> {
            retryAttempt = 0;
            flush();
          });
    }
  }

  private void flush() {
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
    while (true) {
      String ep = endpoint;
      if (ep == null) {
        return;
      }
      Optional<PendingWrite> next;
      try {
        next = queue.peek();
      } catch (IOException e) {
        log.error("cannot read the offline queue: {}; retrying later", e.toString());
        scheduleRetry(new Outcome(Kind.RETRY, 0, Map.of(), e.toString()));
        return;
      }
      if (next.isEmpty()) {
        return;
      }
      PendingWrite w = next.get();
      HeldWrite h = held;
      boolean isHeld = h != null && h.write().opId().equals(w.opId());
      if (isHeld && !ep.equals(preferred) && fallbackTries >= FALLBACK_TRIES) {
        // Out of tries on fallbacks: wait for the preferred endpoint, or for the deadline.
        long left = h.giveUpAt().toEpochMilli() - clock.millis();
        if (left > 0) {
          scheduleFlush(left);
          return;
        }
        remove(w);
        giveUp(h);
        continue;
      }
      Outcome o = send(ep, w);
      if (o.kind == Kind.RETRY) {
        scheduleRetry(o);
        return;
      }
      if (o.kind == Kind.HOLD) {
        h = hold(w, ep);
        if (clock.millis() < h.giveUpAt().toEpochMilli()) {
          scheduleHeldRetry(h);
          return;
        }
        remove(w);
        giveUp(h);
        continue;
      }
      remove(w);
      retryAttempt = 0;
      if (isHeld) {
        log.info(
            "{} {}/{} (op {}), held since {}, was answered {} by {}; the queue goes on",
            w.method(),
            w.collection(),
            w.id(),
            w.opId(),
            h.since(),
            o.status,
            ep);
        held = null;
        fallbackTries = 0;
      }
      settle(w, o);
    }
  }

  private void remove(PendingWrite w) {
    try {
      queue.remove(w.opId());
    } catch (IOException e) {
      log.error(
          "cannot remove op {} from the offline queue ({}); it will be sent again, harmlessly",
          w.opId(),
          e.toString());
    }
  }

  /** Starts or continues holding {@code w}, which fallback {@code ep} just answered 404. */
  private HeldWrite hold(PendingWrite w, String ep) {
    HeldWrite h = held;
    if (h == null || !h.write().opId().equals(w.opId())) {
      Instant now = clock.instant();
      h = new HeldWrite(w, ep, now, now.plus(missingRecordTimeout));
      fallbackTries = 0;
      log.warn(
          "{} does not know {}/{} (404): it was probably created through {}, which has not passed"
              + " it on yet; holding {} (op {}), and every write behind it, until {}, retrying",
          ep,
          w.collection(),
          w.id(),
          preferred,
          w.method(),
          w.opId(),
          h.giveUpAt());
    } else if (!h.endpoint().equals(ep)) {
      h = new HeldWrite(w, ep, h.since(), h.giveUpAt());
    }
    fallbackTries++;
    held = h;
    return h;
  }

  /** Spreads the fallback tries over the timeout, the last one at the deadline. */
  private void scheduleHeldRetry(HeldWrite h) {
    if (retry != null) {
      retry.cancel(false);
    }
    long left = Math.max(0, h.giveUpAt().toEpochMilli() - clock.millis());
    long spread = missingRecordTimeout.toMillis() / (FALLBACK_TRIES - 1);
    scheduleFlush(Math.min(left, Math.max(spread, backoff.delay(retryAttempt++).toMillis())));
  }

  private void giveUp(HeldWrite h) {
    PendingWrite w = h.write();
    held = null;
    fallbackTries = 0;
    String message =
        h.endpoint()
            + " still does not know "
            + w.collection()
            + "/"
            + w.id()
            + " after "
            + describe(Duration.between(h.since(), clock.instant()))
            + " of retries: it was probably created through "
            + preferred
            + ", which never passed it on (it may have been down or lost it). The "
            + w.method()
            + " was dropped: check that "
            + preferred
            + " runs and syncs with the cloud and that the record exists, then write again";
    settle(
        w,
        new Outcome(Kind.REJECTED, 404, Map.of("error", "not_found", "message", message), message));
  }

  private void persist(PendingWrite w) {
    try {
      queue.append(w);
    } catch (IOException e) {
      log.error(
          "cannot persist write {} {}/{} to the offline queue: {}; it is lost: check the state"
              + " directory's disk",
          w.method(),
          w.collection(),
          w.id(),
          e.toString());
      unsettled.decrementAndGet();
      CompletableFuture<WriteResult> f = futures.remove(w.opId());
      if (f != null) {
        f.completeExceptionally(e);
      }
    }
  }

  private void scheduleRetry(Outcome o) {
    if (retry != null && !retry.isDone()) {
      return;
    }
    long delay = backoff.delay(retryAttempt++).toMillis();
    log.info(
        "a write could not be sent ({}); {} queued, retrying in {} ms", o.why, queue.size(), delay);
    scheduleFlush(delay);
  }

  private void scheduleFlush(long delayMillis) {
    if (retry != null) {
      retry.cancel(false);
    }
    retry =
        scheduler.schedule(() -> thread.execute(this::flush), delayMillis, TimeUnit.MILLISECONDS);
  }

  private void settle(PendingWrite w, Outcome o) {
    unsettled.decrementAndGet();
    CompletableFuture<WriteResult> f = futures.remove(w.opId());
    if (o.kind == Kind.APPLIED) {
      if (f != null) {
        f.complete(new WriteResult(w, o.status, o.body));
      }
      return;
    }
    WriteFailure failure =
        new WriteFailure(
            w,
            o.status,
            String.valueOf(o.body.getOrDefault("error", "")),
            String.valueOf(o.body.getOrDefault("message", o.why)));
    log.warn(
        "{} {}/{} (op {}) was refused with {} and dropped: {}",
        w.method(),
        w.collection(),
        w.id(),
        w.opId(),
        o.status,
        failure.message());
    failureListeners.fire(failure, WriteFailureListener::onWriteFailure);
    if (f != null) {
      f.completeExceptionally(new WriteRejectedException(failure));
    }
  }

  private Outcome send(String ep, PendingWrite w) {
    HttpUrl url =
        HttpUrl.get(ep)
            .newBuilder()
            .addPathSegments("api/v1/records")
            .addPathSegment(w.collection())
            .addPathSegment(w.id())
            .build();
    RequestBody body =
        w.method() == WriteMethod.DELETE ? null : RequestBody.create(Json.write(w.data()), JSON);
    Request request =
        new Request.Builder()
            .url(url)
            .method(w.method().name(), body)
            .header("Authorization", "Bearer " + token)
            .header("Idempotency-Key", w.opId())
            .build();
    try (Response r = http.newCall(request).execute()) {
      int code = r.code();
      Map<String, Object> parsed = parse(r.body());
      if (r.isSuccessful()) {
        return new Outcome(Kind.APPLIED, code, parsed, "");
      }
      if (code == 408 || code == 425 || code == 429 || code >= 500) {
        return new Outcome(Kind.RETRY, code, parsed, ep + " answered " + code);
      }
      if (code == 404
          && "not_found".equals(parsed.get("error"))
          && w.method() != WriteMethod.PUT
          && !ep.equals(preferred)) {
        return new Outcome(Kind.HOLD, code, parsed, ep + " does not know the record");
      }
      return new Outcome(Kind.REJECTED, code, parsed, ep + " answered " + code);
    } catch (IOException e) {
      return new Outcome(Kind.RETRY, 0, Map.of(), "cannot reach " + ep + ": " + e);
    }
  }

  private static String describe(Duration d) {
    return d.toMinutes() >= 2 ? d.toMinutes() + " min" : d.toMillis() + " ms";
  }

  private static Map<String, Object> parse(ResponseBody body) {
    try {
      String s = body == null ? "" : body.string();
      return s.isBlank() ? Map.of() : Json.readMap(s);
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
  }

  /** Stops the writer; writes not yet confirmed stay queued for the next start. */
  @Override
  public void close() {
    endpoint = null;
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (retry != null) {
      retry.cancel(false);
    }
    IllegalStateException closed =
        new IllegalStateException(
            "the client was closed before a server confirmed this write; it stays in the offline"
                + " queue and is sent after the next start()");
    futures.values().forEach(f -> f.completeExceptionally(closed));
    futures.clear();
  }
}
