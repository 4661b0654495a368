package dev.olympus.web.realtime;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One device's WebSocket: its cursor (the seq of the last change frame sent, the next frame's
 * {@code prev_seq}) and a drain that sends what lies between the cursor and its pool's reader. At
 * most {@link SyncSocketHub#MAX_IN_FLIGHT} change frames wait in Jetty's queue; a slow client
 * simply falls behind and catches up from the source, so memory stays bounded.
 */
final class Connection {
  final SyncSocketHub hub;
  final Session session;
  final SocketPrincipal principal;
  final String userId;
  final Instant connectedSince;
  final LocationPool pool;
  private final boolean seesReserved;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger wip = new AtomicInteger();

  // Guarded by this.
  private long cursor; // where reading goes on from
  private long prevSeq; // the last change frame sent, or the since/resume value
  private boolean started;
  private volatile boolean closed;
  private volatile long lastHeardMillis;
  int consecutiveErrors; // touched by Jetty's message thread only

  Connection(
      SyncSocketHub hub,
      Session session,
      SocketPrincipal principal,
      String userId,
      LocationPool pool,
      boolean seesReserved,
      long nowMillis) {
    this.seesReserved = seesReserved;
    this.hub = hub;
    this.session = session;
    this.principal = principal;
    this.userId = userId;
    this.pool = pool;
    this.connectedSince = Instant.ofEpochMilli(nowMillis);
    this.lastHeardMillis = nowMillis;
  }

  /** Sends the welcome and starts delivering changes after {@code since}. */
  void start(String welcome, long since) {
    synchronized (this) {
      cursor = since;
      prevSeq = since;
      send(welcome);
      started = true;
    }
    kick();
  }

  /** After a {@code resume}: the next change frame has {@code prev_seq} = since. */
  void resume(long since) {
    synchronized (this) {
      cursor = since;
      prevSeq = since;
    }
    kick();
  }

  void heard(long nowMillis) {
    lastHeardMillis = nowMillis;
  }

  long lastHeardMillis() {
    return lastHeardMillis;
  }

  boolean closed() {
    return closed;
  }

  void markClosed() {
    closed = true;
  }

  /** Asks for a drain; runs at most one at a time, and once more if asked meanwhile. */
  void kick() {
    if (wip.getAndIncrement() == 0) {
      hub.execute(this::drainLoop);
    }
  }

  private void drainLoop() {
    int missed = 1;
    do {
      try {
        drain();
      } catch (RuntimeException e) {
        hub.drainFailed(this, e);
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void drain() {
    while (!closed) {
      long from;
      synchronized (this) {
        if (!started) {
          return;
        }
        from = cursor;
      }
      int room = SyncSocketHub.MAX_IN_FLIGHT - inFlight.get();
      if (room <= 0 || from >= pool.readSeq()) {
        return;
      }
      List<Frame> frames = pool.recentAfter(from, room);
      if (frames == null) {
        frames = hub.readDirect(pool.key, from, Math.min(room, SyncSocketHub.READ_BATCH));
      }
      if (frames.isEmpty()) {
        return;
      }
      synchronized (this) {
        if (cursor != from) {
          continue; // a resume moved the cursor while we read
        }
        for (Frame f : frames) {
          if (f.seq() <= cursor) {
            continue;
          }
          cursor = f.seq();
          if (f.reserved() && !seesReserved) {
            continue;
          }
          inFlight.incrementAndGet();
          sendChange(f.text(prevSeq));
          prevSeq = f.seq();
        }
      }
    }
  }

  private void sendChange(String text) {
    try {
      session.sendText(
          text,
          Callback.from(
              () -> {
                hub.frameSent();
                if (inFlight.getAndDecrement() >= SyncSocketHub.MAX_IN_FLIGHT) {
                  kick();
                }
              },
              this::sendFailed));
    } catch (RuntimeException e) {
      sendFailed(e);
    }
  }

  /** Sends a control frame (welcome, heartbeat, pong, error, trigger) in order with changes. */
  synchronized void send(String text) {
    if (closed) {
      return;
    }
    try {
      session.sendText(text, Callback.from(hub::frameSent, this::sendFailed));
    } catch (RuntimeException e) {
      sendFailed(e);
    }
  }

  private void sendFailed(Throwable t) {
    if (!closed) {
      hub.sendFailed(this, t);
    }
  }

  void close(int code, String reason) {
    closed = true;
    try {
      session.close(code, reason, Callback.NOOP);
    } catch (RuntimeException e) {
      session.disconnect();
    }
  }
}
