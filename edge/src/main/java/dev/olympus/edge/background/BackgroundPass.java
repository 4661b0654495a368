package dev.olympus.edge.background;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;

/**
 * Runs a pass (print the queued tickets, settle the queued payments) on a thread of its own every
 * interval and whenever {@link #wake()} asks for one. A pass that throws is logged and tried again
 * at the next turn: a bug or a database error must not stop the work for good.
 */
public final class BackgroundPass implements AutoCloseable {
  private final String threadName;
  private final Runnable pass;
  private final Logger log;
  private final String failure;
  private final ReentrantLock wakeLock = new ReentrantLock();
  private final Condition woken = wakeLock.newCondition();
  private boolean wakeRequested;
  private volatile boolean running;
  private Thread loop;

  /**
   * @param failure what the error line says when a pass throws, e.g. "print pass failed"
   * @param log the owner's logger, so the line names the owner
   */
  public BackgroundPass(String threadName, Runnable pass, Logger log, String failure) {
    this.threadName = threadName;
    this.pass = pass;
    this.log = log;
    this.failure = failure;
  }

  /** Starts running a pass every {@code interval}; a second call does nothing. */
  public synchronized void start(Duration interval) {
    if (running) {
      return;
    }
    running = true;
    loop =
        Thread.ofPlatform()
            .daemon()
            .name(threadName)
            .start(
                () -> {
                  while (running) {
                    try {
                      pass.run();
                    } catch (RuntimeException e) {
                      log.error("{}, trying again later", failure, e);
                    }
                    awaitWake(interval);
                  }
                });
  }

  /** Asks for a pass now. */
  public void wake() {
    wakeLock.lock();
    try {
      wakeRequested = true;
      woken.signalAll();
    } finally {
      wakeLock.unlock();
    }
  }

  private void awaitWake(Duration interval) {
    wakeLock.lock();
    try {
      long nanos = interval.toNanos();
      while (!wakeRequested && running && nanos > 0) {
        nanos = woken.awaitNanos(nanos);
      }
      wakeRequested = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    } finally {
      wakeLock.unlock();
    }
  }

  /** Stops the loop, letting a running pass finish (up to 10 s). */
  @Override
  public synchronized void close() {
    running = false;
    wake();
    if (loop != null) {
      try {
        loop.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      loop = null;
    }
  }
}
