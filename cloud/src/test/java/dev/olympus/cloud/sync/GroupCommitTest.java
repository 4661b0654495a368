package dev.olympus.cloud.sync;

import static dev.olympus.cloud.sync.StoreHarness.hlc;
import static dev.olympus.cloud.sync.StoreHarness.put;
import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import dev.olympus.core.sync.PullResponse;
import dev.olympus.store.Dialect;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Device writes arriving together share a commit, and each is still answered as if pushed alone:
 * applied once, duplicates of one op id answered as duplicates, every change in the feed once.
 */
class GroupCommitTest {
  @TempDir Path tempDir;

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void concurrentSingleWrites_eachAppliedOnce_duplicatesAnsweredAsSuch(Dialect dialect)
      throws Exception {
    try (var h = new StoreHarness(dialect, tempDir)) {
      int threads = 12;
      int perThread = 25;
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<OpResult>>> answers = new ArrayList<>();
      try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int t = 0; t < threads; t++) {
          int thread = t;
          answers.add(
              pool.submit(
                  () -> {
                    start.await();
                    List<OpResult> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                      // Threads 0 and 1 send the same op ids: one of each pair is a duplicate.
                      int owner = thread < 2 ? 0 : thread;
                      String id = "o-" + owner + "-" + i;
                      mine.add(
                          h.store
                              .pushOne(
                                  h.edge(h.loc1),
                                  put("op-" + id, "orders", id, Map.of("n", i), hlc(i)))
                              .result());
                    }
                    return mine;
                  }));
        }
        start.countDown();
      }
      int applied = 0;
      int duplicates = 0;
      for (Future<List<OpResult>> f : answers) {
        for (OpResult r : f.get()) {
          if (r.outcome() == Outcome.DUPLICATE) {
            duplicates++;
          } else {
            assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
            applied++;
          }
        }
      }
      assertThat(duplicates).isEqualTo(perThread);
      assertThat(applied).isEqualTo((threads - 1) * perThread);
      PullResponse feed = h.store.pull(h.tenant, h.loc1, 0, 10_000);
      assertThat(feed.changes()).hasSize(applied);
      assertThat(feed.changes()).extracting(c -> c.seq()).doesNotHaveDuplicates();
      assertThat(h.store.latestSeq(h.tenant, h.loc1)).isEqualTo(applied);
    }
  }
}
