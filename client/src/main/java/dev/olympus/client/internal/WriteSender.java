package dev.olympus.client.internal;

import dev.olympus.client.OfflineQueue;
import dev.olympus.client.PendingWrite;
import dev.olympus.client.WriteFailure;
import dev.olympus.client.WriteFailureListener;
import dev.olympus.client.WriteMethod;
import dev.olympus.client.WriteRejectedException;
import dev.olympus.client.WriteResult;
import java.io.IOException;
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
 */
public final class WriteSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WriteSender.class);
  private static final MediaType JSON = MediaType.get("application/json");

  private enum Kind {
    APPLIED,
    REJECTED,
    RETRY
  }

  private record Outcome(Kind kind, int status, Map<String, Object> body, String why) {}

  private final OfflineQueue queue;
  private final OkHttpClient http;
  private final String token;
  private final ScheduledExecutorService scheduler;
  private final Backoff backoff;
  private final Listeners<WriteFailure, WriteFailureListener> failureListeners;
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

  /** A sender over {@code queue}, whose writes already count as pending. */
  public WriteSender(
      OfflineQueue queue,
      OkHttpClient http,
      String token,
      ScheduledExecutorService scheduler,
      Backoff backoff,
      Listeners<WriteFailure, WriteFailureListener> failureListeners) {
    this.queue = queue;
    this.http = http;
    this.token = token;
    this.scheduler = scheduler;
    this.backoff = backoff;
    this.failureListeners = failureListeners;
    this.unsettled = new AtomicInteger(queue.size());
  }

  /** Writes made and not yet applied or refused by a server (queued or in flight). */
  public int pending() {
    return unsettled.get();
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
      Outcome o = send(ep, w);
      if (o.kind == Kind.RETRY) {
        scheduleRetry(o);
        return;
      }
      try {
        queue.remove(w.opId());
      } catch (IOException e) {
        log.error(
            "cannot remove op {} from the offline queue ({}); it will be sent again, harmlessly",
            w.opId(),
            e.toString());
      }
      retryAttempt = 0;
      settle(w, o);
    }
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
    retry = scheduler.schedule(() -> thread.execute(this::flush), delay, TimeUnit.MILLISECONDS);
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
      return new Outcome(Kind.REJECTED, code, parsed, ep + " answered " + code);
    } catch (IOException e) {
      return new Outcome(Kind.RETRY, 0, Map.of(), "cannot reach " + ep + ": " + e);
    }
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
