package dev.olympus.bench;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * MQTT publishers for the IoT benchmarks: one MQTT 3.1.1 connection per simulated sensor, each
 * publishing temperature readings on its own topic, either as fast as the broker acknowledges them
 * or paced to a total rate. Every reading carries its send time as {@code ts}, so a consumer can
 * tell the publish → stored latency.
 *
 * <p>The client is a few hundred bytes of protocol written straight to a socket (CONNECT, PUBLISH,
 * PUBACK, DISCONNECT), not a general MQTT library: the generator shares the two cores with the
 * broker it measures, and a full client spent more CPU per message than the hub storing it.
 */
final class MqttLoad implements AutoCloseable {
  /** One sensor: where it publishes and how it logs in (null username: anonymous). */
  record Sensor(String topic, String username, String password) {}

  /** At most this many unacknowledged QoS 1 publishes per connection. */
  private static final int IN_FLIGHT = 64;

  private final List<Connection> connections = new ArrayList<>();
  private final int qos;
  final AtomicLong sent = new AtomicLong();
  final AtomicLong failed = new AtomicLong();

  MqttLoad(String host, int port, List<Sensor> sensors, int qos) {
    if (qos != 0 && qos != 1) {
      throw new IllegalArgumentException("qos must be 0 or 1, was " + qos);
    }
    this.qos = qos;
    for (int i = 0; i < sensors.size(); i++) {
      connections.add(
          new Connection(host, port, sensors.get(i), "bench-" + i + "-" + System.nanoTime()));
    }
  }

  /**
   * Publishes for {@code seconds}; {@code totalRate} readings per second over all sensors, or as
   * fast as the broker acknowledges when 0. Returns the readings sent (acknowledged, at QoS 1).
   */
  long run(double seconds, int totalRate) throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    List<Thread> threads = new ArrayList<>();
    long before = sent.get();
    double perSensor = totalRate == 0 ? 0 : (double) totalRate / connections.size();
    for (int i = 0; i < connections.size(); i++) {
      Connection c = connections.get(i);
      threads.add(
          Thread.ofPlatform().name("mqtt-load-" + i).start(() -> c.publishUntil(end, perSensor)));
    }
    for (Thread t : threads) {
      t.join();
    }
    for (Connection c : connections) {
      c.drain();
    }
    return sent.get() - before;
  }

  /**
   * Publishes a backlog for the sensor at {@code index}: one reading every {@code stepMillis} from
   * {@code fromMillis} to {@code toMillis}, with those timestamps, as a sensor that was cut off
   * would replay it. Returns the readings acknowledged.
   */
  long publishBacklog(int index, long fromMillis, long toMillis, long stepMillis) {
    Connection c = connections.get(index);
    long before = sent.get();
    for (long t = fromMillis; t < toMillis; t += stepMillis) {
      c.publish(t, 34 + (t / stepMillis % 30) / 10.0, null, false);
    }
    c.flush();
    c.drain();
    return sent.get() - before;
  }

  /** Publishes one reading of the sensor at {@code index}; completes when acknowledged. */
  CompletableFuture<?> publishOne(int index, long tsMillis, double value) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Connection c = connections.get(index);
    c.publish(tsMillis, value, done, true);
    return done;
  }

  @Override
  public void close() {
    for (Connection c : connections) {
      c.close();
    }
  }

  /** {"ts":…,"value":…,"unit":"F"} with the value to one decimal, without String.format. */
  static byte[] reading(long ts, double value) {
    long tenths = Math.round(value * 10);
    StringBuilder b = new StringBuilder(48);
    b.append("{\"ts\":").append(ts).append(",\"value\":");
    if (tenths < 0) {
      b.append('-');
      tenths = -tenths;
    }
    b.append(tenths / 10).append('.').append(tenths % 10).append(",\"unit\":\"F\"}");
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** One sensor's connection: a writer (the caller's thread) and a reader of acknowledgements. */
  private final class Connection {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final byte[] topic;
    private final Semaphore window = new Semaphore(IN_FLIGHT);
    private final CompletableFuture<?>[] waiting = new CompletableFuture<?>[65_536];
    private final Thread reader;
    private int nextId = 1;
    private volatile boolean closing;

    Connection(String host, int port, Sensor sensor, String clientId) {
      try {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        in =
            new DataInputStream(
                new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024));
        topic = sensor.topic().getBytes(StandardCharsets.UTF_8);
        connect(clientId, sensor.username(), sensor.password());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot connect to MQTT " + host + ":" + port, e);
      }
      reader = Thread.ofPlatform().name("mqtt-load-acks").daemon().start(this::readAcks);
    }

    private void connect(String clientId, String username, String password) throws IOException {
      Packet p = new Packet();
      p.string("MQTT".getBytes(StandardCharsets.UTF_8));
      p.b.write(4); // MQTT 3.1.1
      int flags = 0x02; // clean session
      if (username != null) {
        flags |= 0x80 | 0x40;
      }
      p.b.write(flags);
      p.b.write(0); // keep-alive 0: none
      p.b.write(0);
      p.string(clientId.getBytes(StandardCharsets.UTF_8));
      if (username != null) {
        p.string(username.getBytes(StandardCharsets.UTF_8));
        p.string(password.getBytes(StandardCharsets.UTF_8));
      }
      p.writeTo(out, 0x10);
      out.flush();
      int type = in.readUnsignedByte();
      int length = remainingLength(in);
      byte[] body = new byte[length];
      in.readFully(body);
      if (type != 0x20 || length != 2 || body[1] != 0) {
        throw new IOException(
            "MQTT login of '"
                + username
                + "' refused (CONNACK code "
                + (length > 1 ? body[1] : -1)
                + ")");
      }
    }

    void publishUntil(long end, double rate) {
      long start = System.nanoTime();
      long n = 0;
      double value = 34.0;
      while (true) {
        long now = System.nanoTime();
        if (now >= end) {
          break;
        }
        if (rate > 0) {
          long due = start + (long) (n * 1e9 / rate);
          if (due > now) {
            flush();
            long wait = due - now;
            if (wait > 200_000) {
              LockSupport.parkNanos(wait - 100_000);
            }
            continue;
          }
        }
        value = value >= 37.9 ? 34.0 : value + 0.1;
        publish(System.currentTimeMillis(), value, null, false);
        n++;
      }
      flush();
    }

    /** Writes one PUBLISH; flushes when asked, or when the window is full. */
    synchronized void publish(long ts, double value, CompletableFuture<?> done, boolean flushNow) {
      byte[] payload = reading(ts, value);
      try {
        if (qos == 0) {
          writeHeader(0x30, 2 + topic.length + payload.length);
          writeShort(topic.length);
          out.write(topic);
          out.write(payload);
          sent.incrementAndGet();
          if (done != null) {
            done.complete(null);
          }
        } else {
          if (!window.tryAcquire()) {
            out.flush();
            window.acquireUninterruptibly();
          }
          int id = nextId;
          nextId = nextId == 65_535 ? 1 : nextId + 1;
          waiting[id] = done;
          writeHeader(0x32, 2 + topic.length + 2 + payload.length);
          writeShort(topic.length);
          out.write(topic);
          writeShort(id);
          out.write(payload);
        }
        if (flushNow) {
          out.flush();
        }
      } catch (IOException e) {
        failed.incrementAndGet();
        if (done != null) {
          done.completeExceptionally(e);
        }
      }
    }

    synchronized void flush() {
      try {
        out.flush();
      } catch (IOException e) {
        failed.incrementAndGet();
      }
    }

    /** Waits until every QoS 1 publish of this connection is acknowledged (at most 30 s). */
    void drain() {
      flush();
      try {
        if (window.tryAcquire(IN_FLIGHT, 30, TimeUnit.SECONDS)) {
          window.release(IN_FLIGHT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void readAcks() {
      try {
        while (true) {
          int type = in.readUnsignedByte();
          int length = remainingLength(in);
          if (type == 0x40 && length == 2) {
            int id = in.readUnsignedShort();
            CompletableFuture<?> f = waiting[id];
            waiting[id] = null;
            sent.incrementAndGet();
            window.release();
            if (f != null) {
              f.complete(null);
            }
          } else {
            in.skipNBytes(length);
          }
        }
      } catch (EOFException | java.net.SocketException e) {
        if (!closing) {
          failed.incrementAndGet();
        }
      } catch (IOException e) {
        failed.incrementAndGet();
      }
    }

    private void writeHeader(int type, int remaining) throws IOException {
      fixedHeader(out, type, remaining);
    }

    private void writeShort(int v) throws IOException {
      out.write(v >> 8);
      out.write(v & 0xFF);
    }

    void close() {
      closing = true;
      try {
        synchronized (this) {
          out.write(0xE0);
          out.write(0);
          out.flush();
        }
        socket.close();
      } catch (IOException e) {
        // the benchmark is over; a client that does not say goodbye changes nothing
      }
    }
  }

  /**
   * A subscriber on the same raw protocol, counting what it receives (the reference broker's
   * pass-through figure); QoS 1 messages are acknowledged as they are read.
   */
  static final class Subscriber implements AutoCloseable {
    final AtomicLong received = new AtomicLong();
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private volatile boolean closing;

    Subscriber(String host, int port, String filter, int qos) throws IOException {
      socket = new Socket(host, port);
      socket.setTcpNoDelay(true);
      out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
      in =
          new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 256 * 1024));
      Packet connect = new Packet();
      connect.string("MQTT".getBytes(StandardCharsets.UTF_8));
      connect.b.write(4);
      connect.b.write(0x02);
      connect.b.write(0);
      connect.b.write(0);
      connect.string(("bench-subscriber-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8));
      connect.writeTo(out, 0x10);
      out.flush();
      in.readUnsignedByte();
      in.skipNBytes(remainingLength(in));
      Packet subscribe = new Packet();
      subscribe.b.write(0);
      subscribe.b.write(1);
      subscribe.string(filter.getBytes(StandardCharsets.UTF_8));
      subscribe.b.write(qos);
      subscribe.writeTo(out, 0x82);
      out.flush();
      in.readUnsignedByte(); // SUBACK
      in.skipNBytes(remainingLength(in));
      Thread.ofPlatform().name("mqtt-subscriber").daemon().start(this::read);
    }

    private void read() {
      try {
        while (true) {
          int type = in.readUnsignedByte();
          int length = remainingLength(in);
          if ((type & 0xF0) == 0x30) {
            int qos = (type >> 1) & 3;
            int topicLength = in.readUnsignedShort();
            in.skipNBytes(topicLength);
            int rest = length - 2 - topicLength;
            if (qos > 0) {
              int id = in.readUnsignedShort();
              rest -= 2;
              out.write(0x40);
              out.write(2);
              out.write(id >> 8);
              out.write(id & 0xFF);
              if (in.available() == 0) {
                out.flush();
              }
            }
            in.skipNBytes(rest);
            received.incrementAndGet();
          } else {
            in.skipNBytes(length);
          }
        }
      } catch (IOException e) {
        if (!closing) {
          System.err.println("subscriber disconnected: " + e);
        }
      }
    }

    @Override
    public void close() {
      closing = true;
      try {
        out.write(0xE0);
        out.write(0);
        out.flush();
        socket.close();
      } catch (IOException e) {
        // done either way
      }
    }
  }

  /** A packet's type byte and its remaining length, as MQTT's variable-length integer. */
  private static void fixedHeader(OutputStream out, int type, int remaining) throws IOException {
    out.write(type);
    do {
      int digit = remaining % 128;
      remaining /= 128;
      out.write(remaining > 0 ? digit | 0x80 : digit);
    } while (remaining > 0);
  }

  private static int remainingLength(DataInputStream in) throws IOException {
    int value = 0;
    int multiplier = 1;
    int b;
    do {
      b = in.readUnsignedByte();
      value += (b & 0x7F) * multiplier;
      multiplier *= 128;
    } while ((b & 0x80) != 0);
    return value;
  }

  /** A packet's variable header and payload, before its fixed header. */
  private static final class Packet {
    final java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();

    void string(byte[] s) {
      b.write(s.length >> 8);
      b.write(s.length & 0xFF);
      b.writeBytes(s);
    }

    void writeTo(OutputStream out, int type) throws IOException {
      fixedHeader(out, type, b.size());
      b.writeTo(out);
    }
  }
}
