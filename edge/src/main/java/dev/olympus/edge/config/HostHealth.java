package dev.olympus.edge.config;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * The edge box's health for the service-host heartbeat: CPU, memory and disk use in percent, from
 * the JVM's view of the operating system and the file system that holds the edge's database.
 */
final class HostHealth {
  private final File dataDir;
  private final java.lang.management.OperatingSystemMXBean os =
      ManagementFactory.getOperatingSystemMXBean();

  /** Health as reported, each in percent from 0 to 100; null when the platform cannot tell. */
  record Sample(Double cpuPercent, Double memoryPercent, Double diskPercent) {}

  HostHealth(Path dataDir) {
    this.dataDir = dataDir.toFile();
  }

  Sample sample() {
    return new Sample(cpu(), memory(), disk());
  }

  private Double cpu() {
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      double load = sun.getCpuLoad();
      if (load >= 0) {
        return round(load * 100);
      }
    }
    // Not measured yet (the first call) or no JDK extension: the load average over the cores is
    // the nearest thing.
    double avg = os.getSystemLoadAverage();
    return avg < 0 ? null : round(avg * 100 / os.getAvailableProcessors());
  }

  private Double memory() {
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      long total = sun.getTotalMemorySize();
      if (total > 0) {
        return round((total - sun.getFreeMemorySize()) * 100.0 / total);
      }
    }
    Runtime rt = Runtime.getRuntime();
    return round((rt.totalMemory() - rt.freeMemory()) * 100.0 / rt.maxMemory());
  }

  private Double disk() {
    long total = dataDir.getTotalSpace();
    if (total <= 0) {
      return null;
    }
    return round((total - dataDir.getUsableSpace()) * 100.0 / total);
  }

  private static Double round(double percent) {
    return Math.round(Math.max(0, Math.min(100, percent)) * 10) / 10.0;
  }
}
