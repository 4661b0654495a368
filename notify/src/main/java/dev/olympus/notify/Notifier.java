package dev.olympus.notify;

import dev.olympus.core.iot.AlertEvent;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people about alerts, each episode once per recipient and channel.
 *
 * <p>{@link #submit} runs on the hub's ingest thread: it chooses channels and recipients from the
 * alert's rule and the synced configuration, stores one row per message in {@code notifications} in
 * one transaction, and returns without touching the network. A delivery thread sends due rows,
 * retries failures with exponential backoff up to {@link NotifySettings#maxAttempts()}, then marks
 * them failed. A row's id derives from (alert id, event kind, escalation, channel, recipient), so
 * submitting the same event again (after a restart, in a replayed backlog) adds nothing. Rows are
 * leased while being sent; an SMS whose earlier attempt may have reached the provider is looked up
 * there before it is sent again (decision 018).
 *
 * <p>The same table is the log of every notification ({@link #history}) and the dashboards' list of
 * energy alerts ({@link #dashboardAlerts}).
 */
public final class Notifier implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);
  private static final int BATCH = 50;

  private final NotificationStore store;
  private final NotifySettings settings;
  private final Routing routing;
  private final Clock clock;
  private final HttpClient http;
  private final Map<Channel, Sender> senders = new EnumMap<>(Channel.class);
  private final List<StaffListener> staffListeners = new CopyOnWriteArrayList<>();
  private final Object wake = new Object();
  private boolean woken;
  private volatile boolean running;
  private Thread deliverer;

  /**
   * @param jdbi the database holding {@code notifications} (edge and cloud migration V8)
   * @param recipients who is on duty and who the location's contacts are
   * @param clock the time of attempts, backoff and leases
   */
  public Notifier(Jdbi jdbi, NotifySettings settings, RecipientDirectory recipients, Clock clock) {
    this.store = new NotificationStore(Objects.requireNonNull(jdbi, "jdbi"));
    this.settings = Objects.requireNonNull(settings, "settings");
    this.routing = new Routing(Objects.requireNonNull(recipients, "recipients"), settings);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.requestTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    if (settings.twilio() != null) {
      senders.put(Channel.SMS, new TwilioSms(settings.twilio(), http, settings.requestTimeout()));
    }
    if (settings.smtp() != null) {
      senders.put(Channel.EMAIL, new SmtpEmail(settings.smtp(), settings.requestTimeout()));
    }
    senders.put(
        Channel.WEBHOOK, new Webhooks(http, settings.requestTimeout(), settings.webhookSecret()));
    senders.put(Channel.STAFF, this::broadcastToStaff);
    senders.put(Channel.DASHBOARD, n -> new Delivery.Sent("listed"));
  }

  /** Adds a receiver of staff notices (door left open); the edge broadcasts them on its LAN. */
  public void addStaffListener(StaffListener listener) {
    staffListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Stores the notifications an alert event calls for and wakes the delivery thread; never waits on
   * the network. Events with {@code shouldNotify() == false} are ignored.
   *
   * @return how many notifications were new (0 for an event submitted before)
   */
  public int submit(AlertEvent event) {
    Objects.requireNonNull(event, "event");
    if (!event.shouldNotify()) {
      return 0;
    }
    List<Routing.Planned> planned = routing.plan(event, clock.instant());
    int added = store.insert(event, planned, alertJson(event), clock.millis());
    logSubmitted(event, planned.size(), added);
    return added;
  }

  /**
   * Like {@link #submit(AlertEvent)}, inside the caller's transaction, so a hub can store its alert
   * state and the notifications it owes together. Call {@link #wakeUp()} after the commit.
   */
  public int submit(AlertEvent event, Handle handle) {
    Objects.requireNonNull(event, "event");
    if (!event.shouldNotify()) {
      return 0;
    }
    List<Routing.Planned> planned = routing.plan(event, clock.instant());
    int added = store.insert(handle, event, planned, alertJson(event), clock.millis());
    logSubmitted(event, planned.size(), added);
    return added;
  }

  /** Asks the delivery thread to look for due notifications now. */
  public void wakeUp() {
    synchronized (wake) {
      woken = true;
      wake.notifyAll();
    }
  }

  /**
   * The notification log, newest first.
   *
   * @param locationId one location, or null for all of the tenant's
   * @param alertId one alert's notifications, or null for all
   */
  public List<Notification> history(String tenantId, String locationId, String alertId, int limit) {
    return store.history(tenantId, locationId, alertId, null, clampLimit(limit));
  }

  /** Energy-spike alerts (and their later acknowledgement or resolution) for dashboards. */
  public List<Notification> dashboardAlerts(String tenantId, String locationId, int limit) {
    return store.history(tenantId, locationId, null, Channel.DASHBOARD, clampLimit(limit));
  }

  /** Starts the delivery thread; logs which channels are on. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    log.info(
        "notifier started: sms {}, email {}, {} webhook(s), staff and dashboard on",
        settings.twilio() == null
            ? "off (OLYMPUS_TWILIO_ACCOUNT_SID not set)"
            : "via " + settings.twilio().baseUrl(),
        settings.smtp() == null
            ? "off (OLYMPUS_SMTP_HOST not set)"
            : "via " + settings.smtp().host() + ":" + settings.smtp().port(),
        settings.webhooks().size());
    deliverer = new Thread(this::deliveryLoop, "olympus-notify");
    deliverer.setDaemon(true);
    deliverer.start();
  }

  @Override
  public synchronized void close() {
    running = false;
    if (deliverer != null) {
      deliverer.interrupt();
      try {
        deliverer.join(settings.requestTimeout().toMillis() + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      deliverer = null;
    }
    http.close();
  }

  /**
   * One delivery pass: every due notification gets one attempt.
   *
   * @return how many were attempted
   */
  int deliverDue() {
    int attempted = 0;
    for (String id : store.due(clock.millis(), BATCH)) {
      long now = clock.millis();
      Optional<Notification> claimed = store.claim(id, now, now + settings.sendLease().toMillis());
      if (claimed.isEmpty()) {
        continue;
      }
      attempted++;
      deliver(claimed.get());
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
    }
    return attempted;
  }

  private void deliver(Notification n) {
    Sender sender = senders.get(n.channel());
    Delivery result =
        sender == null
            ? new Delivery.Failed(n.channel().wireName() + " is not configured")
            : attempt(sender, n);
    long now = clock.millis();
    int attempts = n.attempts() + 1;
    switch (result) {
      case Delivery.Sent sent -> {
        store.markSent(n.id(), sent.providerId(), now);
        log.info(
            "notification {} sent: {} {} to {} for alert {} ({}), attempt {}, provider id {}",
            n.id(),
            n.eventKind(),
            n.channel().wireName(),
            n.recipient(),
            n.alertId(),
            n.rule(),
            attempts,
            sent.providerId());
      }
      case Delivery.Retry retry when attempts < settings.maxAttempts() -> {
        long next = now + settings.backoffAfter(attempts).toMillis();
        store.markRetry(n.id(), retry.error(), next, now);
        log.warn(
            "notification {} ({} to {}) attempt {} of {} failed, retrying in {} ms: {}",
            n.id(),
            n.channel().wireName(),
            n.recipient(),
            attempts,
            settings.maxAttempts(),
            next - now,
            retry.error());
      }
      case Delivery.Retry retry -> fail(n, attempts, retry.error(), now);
      case Delivery.Failed failed -> fail(n, attempts, failed.error(), now);
    }
  }

  private void fail(Notification n, int attempts, String error, long now) {
    store.markFailed(n.id(), error, now);
    log.error(
        "notification {} FAILED after {} attempt(s): {} to {} for alert {}: {}",
        n.id(),
        attempts,
        n.channel().wireName(),
        n.recipient(),
        n.alertId(),
        error);
  }

  private static Delivery attempt(Sender sender, Notification n) {
    try {
      return sender.send(n);
    } catch (RuntimeException e) {
      return new Delivery.Retry("unexpected " + e);
    }
  }

  private Delivery broadcastToStaff(Notification n) {
    var notice =
        new StaffNotification(
            n.id(), n.tenantId(), n.locationId(), n.eventKind(), n.body(), n.alertJson());
    int told = 0;
    for (StaffListener listener : staffListeners) {
      try {
        listener.onStaffNotification(notice);
        told++;
      } catch (RuntimeException e) {
        log.warn("a staff listener failed on notification {}: {}", n.id(), e.toString());
      }
    }
    return new Delivery.Sent("listeners=" + told);
  }

  private void deliveryLoop() {
    while (running) {
      int attempted = 0;
      try {
        attempted = deliverDue();
      } catch (RuntimeException e) {
        log.error("notification delivery pass failed, retrying: {}", e.toString());
      }
      if (attempted >= BATCH) {
        continue;
      }
      synchronized (wake) {
        try {
          if (!woken && running) {
            wake.wait(Math.max(1, settings.pollInterval().toMillis()));
          }
        } catch (InterruptedException e) {
          return;
        }
        woken = false;
      }
    }
  }

  private void logSubmitted(AlertEvent event, int planned, int added) {
    if (added > 0 || planned == 0) {
      log.info(
          "alert {} {} ({} at {}): {} notification(s) queued",
          event.alert().alertId(),
          NotificationStore.kindOf(event),
          event.alert().rule().wireName(),
          event.alert().locationId(),
          added);
      wakeUp();
    } else {
      log.info(
          "alert {} {} submitted again: its {} notification(s) already exist, nothing queued",
          event.alert().alertId(),
          NotificationStore.kindOf(event),
          planned);
    }
  }

  private static String alertJson(AlertEvent event) {
    return AlertJson.write(event.alert().toWire());
  }

  private static int clampLimit(int limit) {
    return Math.max(1, Math.min(limit, 1000));
  }
}
