package dev.olympus.edge.kitchen;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends bytes to a network printer over raw TCP, one connection per job. A job counts as printed
 * when its bytes are written and the connection closed cleanly: raw port 9100 has no
 * acknowledgement, so a printer that loses power in that instant can lose a ticket, and a resend
 * after an error mid-write can print part of one twice.
 */
public final class PrinterClient implements AutoCloseable {
  private final Duration connectTimeout;
  private final Duration writeTimeout;
  // Sockets have no write timeout: a watchdog closes one whose write hangs (printer buffer full,
  // paper out with the cover open), which makes the blocked write fail.
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("printer-write-watchdog").factory());

  public PrinterClient(Duration connectTimeout, Duration writeTimeout) {
    this.connectTimeout = connectTimeout;
    this.writeTimeout = writeTimeout;
  }

  /**
   * Writes {@code payload} to the printer and closes the connection.
   *
   * @throws IOException naming the printer when it refuses, does not answer in time, or the write
   *     does not finish within the write timeout
   */
  public void send(PrinterAddress printer, byte[] payload) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      try {
        socket.connect(
            new InetSocketAddress(printer.host(), printer.port()), (int) connectTimeout.toMillis());
      } catch (IOException e) {
        throw new IOException("printer " + printer + " - cannot connect: " + e.getMessage(), e);
      }
      AtomicBoolean timedOut = new AtomicBoolean();
      ScheduledFuture<?> guard =
          watchdog.schedule(
              () -> {
                timedOut.set(true);
                try {
                  socket.close();
                } catch (IOException ignored) {
                  // closing is the point; the write reports the failure
                }
              },
              writeTimeout.toMillis(),
              TimeUnit.MILLISECONDS);
      try {
        OutputStream out = socket.getOutputStream();
        out.write(payload);
        out.flush();
        socket.shutdownOutput();
      } catch (IOException e) {
        throw new IOException(
            "printer "
                + printer
                + (timedOut.get()
                    ? " - write did not finish within " + writeTimeout.toMillis() + " ms"
                    : " - write failed: " + e.getMessage()),
            e);
      } finally {
        guard.cancel(false);
      }
    }
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }
}
