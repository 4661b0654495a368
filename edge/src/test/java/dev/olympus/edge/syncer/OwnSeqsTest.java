package dev.olympus.edge.syncer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.olympus.core.sync.OpResult;
import dev.olympus.core.sync.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnSeqsTest {
  private static OpResult result(Outcome outcome, Long seq) {
    return new OpResult("op-" + seq, outcome, seq, null, null, null);
  }

  @Test
  void addOwnSeqs_consecutivePushes_joinIntoOneRange() {
    List<long[]> ranges = new ArrayList<>();

    Syncer.addOwnSeqs(ranges, List.of(result(Outcome.APPLIED, 1L), result(Outcome.MERGED, 2L)));
    Syncer.addOwnSeqs(ranges, List.of(result(Outcome.APPLIED, 3L)));

    assertThat(ranges).containsExactly(new long[] {1, 3});
  }

  @Test
  void addOwnSeqs_anotherWriterInBetween_keepsItsSeqOutOfTheRanges() {
    List<long[]> ranges = new ArrayList<>();

    Syncer.addOwnSeqs(ranges, List.of(result(Outcome.APPLIED, 1L)));
    Syncer.addOwnSeqs(ranges, List.of(result(Outcome.APPLIED, 3L), result(Outcome.APPLIED, 4L)));

    assertThat(ranges).containsExactly(new long[] {1, 1}, new long[] {3, 4});
  }

  @Test
  void addOwnSeqs_duplicatesAndUnchangedOps_addNothing() {
    List<long[]> ranges = new ArrayList<>();

    // A duplicate carries the seq of its first outcome, maybe long ago: not this push's.
    Syncer.addOwnSeqs(
        ranges,
        List.of(
            result(Outcome.DUPLICATE, 7L),
            result(Outcome.APPLIED, null),
            OpResult.rejected("op-r", null)));

    assertThat(ranges).isEmpty();
  }

  @Test
  void addOwnSeqs_pushesAnsweredOutOfOrder_stillJoin() {
    List<long[]> ranges = new ArrayList<>();

    Syncer.addOwnSeqs(ranges, List.of(result(Outcome.APPLIED, 4L), result(Outcome.APPLIED, 6L)));
    Syncer.addOwnSeqs(ranges, List.of(result(Outcome.APPLIED, 1L), result(Outcome.APPLIED, 3L)));
    Syncer.addOwnSeqs(ranges, List.of(result(Outcome.APPLIED, 10L)));
    Syncer.addOwnSeqs(ranges, List.of(result(Outcome.APPLIED, 7L), result(Outcome.APPLIED, 8L)));

    assertThat(ranges).containsExactly(new long[] {1, 8}, new long[] {10, 10});
  }
}
