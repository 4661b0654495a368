package dev.olympus.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A caller that finds nothing being committed commits its item itself; items arriving during a
 * commit are applied together as one group on the committing thread, and each caller hears its own
 * answer (or its own refusal).
 */
class GroupCommitTest {
  @Test
  void itemsArrivingDuringAGroup_areAppliedTogetherInTheNext_eachAnsweredItsOwn() throws Exception {
    CountDownLatch firstGroupEntered = new CountDownLatch(1);
    CountDownLatch releaseFirstGroup = new CountDownLatch(1);
    ConcurrentLinkedQueue<List<Integer>> groups = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
    GroupCommit<String, Integer, Integer> commit =
        GroupCommit.callerCommitsWhenQuiet(
            (key, items) -> {
              threads.add(Thread.currentThread().getName());
              groups.add(List.copyOf(items));
              if (items.contains(0)) {
                firstGroupEntered.countDown();
                await(releaseFirstGroup);
              }
              List<GroupCommit.Answer<Integer>> answers = new ArrayList<>();
              for (int item : items) {
                answers.add(
                    item == 7
                        ? GroupCommit.Answer.refused(new IllegalArgumentException("seven"))
                        : GroupCommit.Answer.of(item * 10));
              }
              return answers;
            });
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Integer> first =
          pool.submit(
              () -> {
                Thread.currentThread().setName("first caller");
                return commit.run("k", 0);
              });
      assertThat(firstGroupEntered.await(10, TimeUnit.SECONDS)).isTrue();
      List<Future<Integer>> rest = new ArrayList<>();
      for (int i = 1; i <= 9; i++) {
        int item = i;
        rest.add(pool.submit(() -> commit.run("k", item)));
      }
      Thread.sleep(300); // the nine queue behind the first group, which is held
      releaseFirstGroup.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
      for (int i = 1; i <= 9; i++) {
        Future<Integer> f = rest.get(i - 1);
        if (i == 7) {
          assertThatThrownBy(f::get).hasRootCauseMessage("seven");
        } else {
          assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(i * 10);
        }
      }
    }
    assertThat(groups.peek()).containsExactly(0);
    assertThat(groups.stream().mapToInt(List::size).sum()).isEqualTo(10);
    assertThat(groups.size())
        .as("the nine queued behind the first group share groups")
        .isLessThan(10);
    assertThat(threads.peek()).as("nothing was being committed").isEqualTo("first caller");
    assertThat(threads.stream().skip(1))
        .as("the groups that queued behind it")
        .allMatch(name -> name.equals("olympus-group-commit"));
  }

  @Test
  void aLoneItem_inAQuietStore_isCommittedOnItsCallersOwnThread() throws Exception {
    GroupCommit<String, String, String> commit =
        GroupCommit.callerCommitsWhenQuiet(
            (key, items) ->
                items.stream()
                    .map(i -> GroupCommit.Answer.of(i + " by " + Thread.currentThread().getName()))
                    .toList());
    String name = Thread.currentThread().getName();
    assertThat(commit.run("k", "a")).isEqualTo("a by " + name);
    Thread.sleep(GroupCommit.QUIET.multipliedBy(5));
    assertThat(commit.run("k", "b")).as("after a quiet moment").isEqualTo("b by " + name);
  }

  @Test
  void byDefault_everyGroupIsCommittedOnTheCommittingThread() {
    GroupCommit<String, String, String> commit =
        new GroupCommit<>(
            (key, items) ->
                items.stream()
                    .map(i -> GroupCommit.Answer.of(Thread.currentThread().getName()))
                    .toList());
    assertThat(commit.run("k", "a")).isEqualTo("olympus-group-commit");
  }

  @Test
  void aGroupThatFails_failsEachOfItsCallers_andTheNextItemStillCommits() {
    GroupCommit<String, String, String> commit =
        new GroupCommit<>(
            (key, items) -> {
              if (items.contains("boom")) {
                throw new IllegalStateException("disk full");
              }
              return items.stream().map(GroupCommit.Answer::of).toList();
            });
    assertThatThrownBy(() -> commit.run("k", "boom")).hasMessage("disk full");
    assertThat(commit.run("k", "fine")).isEqualTo("fine");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
