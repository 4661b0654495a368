package dev.olympus.cloud.sync;

import static dev.olympus.cloud.sync.StoreHarness.hlc;
import static dev.olympus.cloud.sync.StoreHarness.put;
import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.sync.Change;
import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.PullResponse;
import dev.olympus.store.Dialect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several edges push at once while a reader pulls without pause: the reader must end with every
 * change, each once. With seqs that became visible out of order it would move past a gap and lose
 * the change behind it for ever.
 */
class ConcurrentPushTest {
  private static final int WRITERS = 6;
  private static final int BATCHES = 30;
  private static final int OPS_PER_BATCH = 15;

  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void push_parallelWriters_readerPullingMeanwhileSeesEveryChangeOnce(Dialect dialect)
      throws Exception {
    try (var h = new StoreHarness(dialect, tempDir)) {
      ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
      Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicBoolean writersDone = new AtomicBoolean();
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(
            pool.submit(
                () -> {
                  for (int b = 0; b < BATCHES; b++) {
                    List<IncomingOp> ops = new ArrayList<>();
                    for (int i = 0; i < OPS_PER_BATCH; i++) {
                      String id = "w" + writer + "-b" + b + "-" + i;
                      ops.add(put(id, "tables", id, Map.of("w", writer), hlc(0)));
                    }
                    for (OpResult r : h.store.push(h.edge(h.loc1), ops).results()) {
                      acknowledged.add(r.seq());
                    }
                  }
                  return null;
                }));
      }
      Future<List<Long>> reader =
          pool.submit(
              () -> {
                List<Long> seen = new ArrayList<>();
                long since = 0;
                while (true) {
                  boolean finished = writersDone.get();
                  PullResponse page = h.store.pull(h.tenant, h.loc1, since, 40);
                  page.changes().stream().map(Change::seq).forEach(seen::add);
                  since = page.nextSince();
                  if (finished && !page.hasMore()) {
                    return seen;
                  }
                }
              });
      for (Future<?> f : writers) {
        f.get(60, TimeUnit.SECONDS);
      }
      writersDone.set(true);
      List<Long> seen = reader.get(60, TimeUnit.SECONDS);
      pool.shutdown();

      int total = WRITERS * BATCHES * OPS_PER_BATCH;
      assertThat(acknowledged).hasSize(total);
      assertThat(seen).doesNotHaveDuplicates().hasSize(total);
      assertThat(seen).isSorted();
      assertThat(Set.copyOf(seen)).isEqualTo(acknowledged);
    }
  }
}
