package dev.olympus.client;

import dev.olympus.client.internal.Backoff;
import dev.olympus.client.internal.ClientConfig;
import dev.olympus.client.internal.DeliveryLedger;
import dev.olympus.client.internal.Listeners;
import dev.olympus.client.internal.RealtimeConnection;
import dev.olympus.client.internal.WriteSender;
import dev.olympus.core.sync.UuidV7;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A terminal's connection to Olympus: live changes of its restaurant from the edge (or, when the
 * edge is unreachable, from the cloud), each delivered once and in order, and writes that survive
 * being offline.
 *
 * <p>Build one with {@link #builder()}, register listeners, then {@link #start()}. Listeners run on
 * the client's delivery thread, one change at a time. Writes ({@link #put}, {@link #patch}, {@link
 * #delete} and the helpers) return at once; their futures complete when a server has applied them,
 * which may be after a restart of the application (the offline queue is persistent; the futures of
 * the previous run are gone, but {@link #onWriteFailure} still reports refusals). See the package
 * documentation for an example.
 */
public final class OlympusClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OlympusClient.class);

  private final ClientConfig config;
  private final OkHttpClient http;
  private final OfflineQueue queue;
  private final RealtimeConnection connection;
  private final WriteSender writer;
  private final boolean ownScheduler;
  private final Listeners<Change, ChangeListener> changeListeners = new Listeners<>("change");
  private final Listeners<ConnectionStatus, ConnectionListener> connectionListeners =
      new Listeners<>("connection");
  private final Listeners<WriteFailure, WriteFailureListener> failureListeners =
      new Listeners<>("write failure");
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private OlympusClient(Builder b, ClientConfig config, boolean ownScheduler) throws IOException {
    this.config = config;
    this.ownScheduler = ownScheduler;
    this.http =
        new OkHttpClient.Builder()
            .connectTimeout(config.connectTimeout())
            .readTimeout(config.connectTimeout().multipliedBy(2))
            .writeTimeout(config.connectTimeout().multipliedBy(2))
            .retryOnConnectionFailure(false)
            .build();
    this.queue =
        b.queue != null
            ? b.queue
            : JsonLinesOfflineQueue.open(b.stateDirectory.resolve("offline-queue.jsonl"));
    DeliveryLedger ledger = DeliveryLedger.open(b.stateDirectory, b.dedupCapacity);
    this.writer =
        new WriteSender(
            queue,
            http,
            config.deviceToken(),
            config.scheduler(),
            new Backoff(config.backoffBase(), config.backoffMax(), config.random()),
            failureListeners,
            config.endpoints().get(0),
            config.clock(),
            config.missingRecordTimeout());
    this.connection =
        new RealtimeConnection(
            config,
            http,
            ledger,
            s -> connectionListeners.fire(s, ConnectionListener::onConnectionChange),
            c -> changeListeners.fire(c, ChangeListener::onChange),
            writer::endpoint);
  }

  /**
   * A builder; {@code endpoints}, {@code deviceToken}, the ids and the state directory are needed.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects to the first endpoint and starts delivering. Register listeners first, or changes
   * replayed at connect time reach no one (they still count as delivered).
   *
   * @throws IllegalStateException if already started or closed
   */
  public void start() {
    if (closed.get()) {
      throw new IllegalStateException("this OlympusClient is closed: build a new one to restart");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("this OlympusClient was already started: call start() once");
    }
    connection.start();
  }

  /** Closes the connection, saves cursors and stops threads. Queued writes stay on disk. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    writer.close();
    connection.close();
    try {
      queue.close();
    } catch (IOException e) {
      log.warn("cannot close the offline queue: {}", e.toString());
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    if (ownScheduler) {
      config.scheduler().shutdownNow();
    }
  }

  // ---- listeners ----

  /** Every change, whatever its data type. */
  public Subscription allChanges(ChangeListener listener) {
    return changeListeners.add(c -> true, listener);
  }

  /** Changes of one data type. */
  public Subscription updates(DataType type, ChangeListener listener) {
    Objects.requireNonNull(type, "type");
    return changeListeners.add(c -> c.dataType() == type, listener);
  }

  /** Changes of orders ({@code order_update}). */
  public Subscription orderUpdates(ChangeListener listener) {
    return updates(DataType.ORDERS, listener);
  }

  /** Changes of menu items ({@code menu_update}). */
  public Subscription menuUpdates(ChangeListener listener) {
    return updates(DataType.MENU, listener);
  }

  /** Changes of inventory items and movements ({@code inventory_update}). */
  public Subscription inventoryUpdates(ChangeListener listener) {
    return updates(DataType.INVENTORY, listener);
  }

  /** Changes of tables ({@code table_update}). */
  public Subscription tableUpdates(ChangeListener listener) {
    return updates(DataType.TABLES, listener);
  }

  /** Changes of users and employees ({@code user_update}). */
  public Subscription userUpdates(ChangeListener listener) {
    return updates(DataType.USERS, listener);
  }

  /** Changes of printers ({@code printer_update}). */
  public Subscription printerUpdates(ChangeListener listener) {
    return updates(DataType.PRINTERS, listener);
  }

  /** Tickets fired to the kitchen ({@code kitchen_ticket}), for kitchen display systems. */
  public Subscription kitchenUpdates(ChangeListener listener) {
    return updates(DataType.KITCHEN, listener);
  }

  /** Each change of connection state (CONNECTING, CONNECTED with the endpoint, OFFLINE). */
  public Subscription onConnectionChange(ConnectionListener listener) {
    return connectionListeners.add(s -> true, listener);
  }

  /**
   * Each write a server refused as bad input (a 4xx) and that was dropped, and each write held
   * because a fallback endpoint did not know its record (see {@link #heldWrite()}) and given up at
   * the {@linkplain Builder#missingRecordTimeout missing-record timeout}.
   */
  public Subscription onWriteFailure(WriteFailureListener listener) {
    return failureListeners.add(f -> true, listener);
  }

  // ---- state ----

  /** The current connection status. */
  public ConnectionStatus connectionStatus() {
    return connection.status();
  }

  /**
   * Writes not yet applied or refused by a server: queued offline, in flight, or waiting behind a
   * {@linkplain #heldWrite() held write} (which counts too).
   */
  public int pendingWrites() {
    return writer.pending();
  }

  /**
   * The PATCH or DELETE holding the queue, if any: a fallback endpoint (the cloud) answered it
   * {@code 404 not_found}, most likely because the record was created through the edge, which has
   * not passed it on yet. It is retried with the same op id after a backoff and whenever the
   * connection changes endpoint (e.g. back to the edge); the writes behind it wait, so each
   * record's writes stay in order. At {@link HeldWrite#giveUpAt()} it is reported to {@link
   * #onWriteFailure} listeners and dropped. A 404 from the first (preferred) endpoint is final at
   * once.
   */
  public Optional<HeldWrite> heldWrite() {
    return writer.held();
  }

  /** The last delivered seq per stream (a copy), e.g. {@code {"edge:e-1": 42}}. */
  public Map<String, Long> cursors() {
    if (closed.get()) {
      throw new IllegalStateException(
          "this OlympusClient is closed: cursors are in its state directory");
    }
    try {
      return connection.cursors().get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "the delivery thread did not answer within 5 s (a listener is stuck?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading cursors", e);
    }
  }

  // ---- writes ----

  /** Creates or replaces {@code collection/id} with {@code data}. */
  public CompletableFuture<WriteResult> put(String collection, String id, Map<String, ?> data) {
    return write(WriteMethod.PUT, collection, id, data);
  }

  /** Changes the fields in {@code data} of {@code collection/id}; refused (404) if it is absent. */
  public CompletableFuture<WriteResult> patch(String collection, String id, Map<String, ?> data) {
    return write(WriteMethod.PATCH, collection, id, data);
  }

  /** Deletes {@code collection/id} (a tombstone other devices see as a {@code deleted} change). */
  public CompletableFuture<WriteResult> delete(String collection, String id) {
    return write(WriteMethod.DELETE, collection, id, Map.of());
  }

  /**
   * Seed 002's {@code broadcastOrderUpdate}: {@code created} puts the order, {@code deleted}
   * deletes it, {@code completed} patches it with {@code status: completed} added, any other action
   * ({@code updated}, {@code status_changed}) patches it with {@code data}. Other devices receive
   * it as an {@code order_update}.
   */
  public CompletableFuture<WriteResult> broadcastOrderUpdate(
      String orderId, String action, Map<String, ?> data) {
    Objects.requireNonNull(action, "action");
    Map<String, Object> fields = new LinkedHashMap<>(data == null ? Map.of() : data);
    return switch (action) {
      case "created" -> put("orders", orderId, fields);
      case "deleted" -> delete("orders", orderId);
      case "completed" -> {
        fields.putIfAbsent("status", "completed");
        yield patch("orders", orderId, fields);
      }
      default -> patch("orders", orderId, fields);
    };
  }

  /** Sets a table's {@code status} (occupied, available, reserved, cleaning). */
  public CompletableFuture<WriteResult> updateTableStatus(String tableId, String status) {
    return patch("tables", tableId, Map.of("status", Objects.requireNonNull(status, "status")));
  }

  /** Marks a menu item available or not ({@code availability_changed}). */
  public CompletableFuture<WriteResult> updateMenuItemAvailability(
      String itemId, boolean available) {
    return patch("menu_items", itemId, Map.of("available", available));
  }

  /** Sets an inventory item's stock level ({@code stock_changed}). */
  public CompletableFuture<WriteResult> updateStockLevel(String itemId, double quantity) {
    return patch("inventory_items", itemId, Map.of("quantity", quantity));
  }

  private CompletableFuture<WriteResult> write(
      WriteMethod method, String collection, String id, Map<String, ?> data) {
    if (closed.get()) {
      throw new IllegalStateException("this OlympusClient is closed: writes need an open client");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> body = (Map<String, Object>) (Map<?, ?>) (data == null ? Map.of() : data);
    PendingWrite w =
        new PendingWrite(
            UuidV7.next(config.clock(), config.random()),
            method,
            collection,
            id,
            body,
            config.clock().millis());
    return writer.submit(w);
  }

  /**
   * Builds an {@link OlympusClient}. Only the endpoints, the device token, the device and
   * restaurant ids and the state directory are required; the rest has production defaults.
   */
  public static final class Builder {
    private final List<String> endpoints = new ArrayList<>();
    private String deviceToken;
    private String deviceId;
    private String restaurantId;
    private String userId;
    private Path stateDirectory;
    private OfflineQueue queue;
    private Clock clock = Clock.systemUTC();
    private Random random = new java.security.SecureRandom();
    private ScheduledExecutorService scheduler;
    private Duration heartbeat;
    private Duration backoffBase = Duration.ofMillis(500);
    private Duration backoffMax = Duration.ofSeconds(30);
    private Duration probeInterval = Duration.ofSeconds(15);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration missingRecordTimeout = Duration.ofMinutes(10);
    private int dedupCapacity = 20_000;

    private Builder() {}

    /**
     * The endpoints in order of preference, as base URLs: the edge first, then the cloud, e.g.
     * {@code "http://edge:8081", "https://cloud.example.com"}.
     */
    public Builder endpoints(String... baseUrls) {
      for (String u : baseUrls) {
        if (u == null || !(u.startsWith("http://") || u.startsWith("https://"))) {
          throw new IllegalArgumentException(
              "endpoint was '" + u + "': use a base URL such as http://edge:8081");
        }
        okhttp3.HttpUrl.get(u);
        endpoints.add(u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
      }
      return this;
    }

    /** The device token ({@code oly_…}) an admin got when registering this device. */
    public Builder deviceToken(String token) {
      this.deviceToken = token;
      return this;
    }

    /** This device's id, as registered. */
    public Builder deviceId(String id) {
      this.deviceId = id;
      return this;
    }

    /** The restaurant (location) this device belongs to. */
    public Builder restaurantId(String id) {
      this.restaurantId = id;
      return this;
    }

    /** The person signed in on the terminal (optional, shown in status pages). */
    public Builder userId(String id) {
      this.userId = id;
      return this;
    }

    /** A directory of this device's own for cursors and the offline queue; created if missing. */
    public Builder stateDirectory(Path dir) {
      this.stateDirectory = dir;
      return this;
    }

    /** Replaces the default JSON-lines file queue (e.g. with one on SQLite). */
    public Builder offlineQueue(OfflineQueue queue) {
      this.queue = queue;
      return this;
    }

    /** The clock for heartbeat silence, op ids and held writes' deadlines (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The randomness for backoff jitter and op ids (default: a SecureRandom). */
    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The scheduler for timers; delivery runs on it one task at a time (default: one daemon thread
     * of the client's own). A scheduler passed here is not shut down by {@link #close()}.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Heartbeat interval to use instead of the server's {@code heartbeat_seconds}. */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeat = positive(interval, "heartbeatInterval");
      return this;
    }

    /** Reconnect backoff: the first delay's ceiling (default 500 ms) and the cap (default 30 s). */
    public Builder reconnectBackoff(Duration base, Duration max) {
      this.backoffBase = positive(base, "reconnectBackoff base");
      this.backoffMax = positive(max, "reconnectBackoff max");
      return this;
    }

    /** How often a preferred endpoint is probed while connected to a later one (default 15 s). */
    public Builder probeInterval(Duration interval) {
      this.probeInterval = positive(interval, "probeInterval");
      return this;
    }

    /** TCP connect timeout; HTTP reads get twice this (default 5 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long a PATCH or DELETE is held and retried when a fallback endpoint (not the first)
     * answers {@code 404 not_found} because the record it changes was created through the edge and
     * has not reached the cloud yet (default 10 minutes); then it is reported to {@link
     * OlympusClient#onWriteFailure} and dropped. Writes behind it wait meanwhile (see {@link
     * OlympusClient#heldWrite()}).
     */
    public Builder missingRecordTimeout(Duration timeout) {
      this.missingRecordTimeout = positive(timeout, "missingRecordTimeout");
      return this;
    }

    /**
     * How many records' last delivered versions are remembered to drop duplicates after a failover
     * (default 20,000; about 100 bytes each).
     */
    public Builder dedupCapacity(int records) {
      if (records < 1) {
        throw new IllegalArgumentException("dedupCapacity was " + records + ": use at least 1");
      }
      this.dedupCapacity = records;
      return this;
    }

    /**
     * Builds the client, loading its state; it does not connect until {@link #start()}.
     *
     * @throws IllegalStateException if a required setting is missing
     * @throws UncheckedIOException if the state directory cannot be read or written
     */
    public OlympusClient build() {
      require(
          !endpoints.isEmpty(),
          "no endpoint: call endpoints(\"http://edge:8081\", \"http://cloud:8080\")");
      require(
          deviceToken != null && !deviceToken.isBlank(),
          "no device token: call deviceToken(\"oly_…\")");
      require(deviceId != null && !deviceId.isBlank(), "no device id: call deviceId(…)");
      require(
          restaurantId != null && !restaurantId.isBlank(),
          "no restaurant id: call restaurantId(…)");
      require(
          stateDirectory != null,
          "no state directory: call stateDirectory(Path) with a directory of this device's own");
      require(
          backoffMax.compareTo(backoffBase) >= 0,
          "reconnectBackoff max " + backoffMax + " is below its base " + backoffBase);
      boolean own = scheduler == null;
      ScheduledExecutorService s =
          own
              ? Executors.newSingleThreadScheduledExecutor(
                  r -> {
                    Thread t = new Thread(r, "olympus-client");
                    t.setDaemon(true);
                    return t;
                  })
              : scheduler;
      ClientConfig config =
          new ClientConfig(
              List.copyOf(endpoints),
              deviceToken,
              deviceId,
              restaurantId,
              userId,
              clock,
              random,
              s,
              heartbeat,
              backoffBase,
              backoffMax,
              probeInterval,
              connectTimeout,
              missingRecordTimeout);
      try {
        return new OlympusClient(this, config, own);
      } catch (IOException e) {
        if (own) {
          s.shutdownNow();
        }
        throw new UncheckedIOException(
            "cannot open the client state in " + stateDirectory + ": " + e.getMessage(), e);
      }
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalStateException("OlympusClient.Builder - " + message);
      }
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " was " + d + ": use a positive duration");
      }
      return d;
    }
  }
}
