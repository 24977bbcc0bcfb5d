package io.trainchain.cli;

import io.trainchain.engine.server.GitRemote;
import io.trainchain.engine.store.AttemptRecord;
import io.trainchain.engine.store.QueuedChain;
import io.trainchain.engine.store.RunRecord;
import io.trainchain.engine.store.RunStatus;
import io.trainchain.engine.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real `bin/trainchain server` running the real chain (examples/fashion-cnn in Docker, few images) on pushes to a
 * real bare repository: SIGKILLed while the first chain trains and two more wait, then started again, every queued
 * chain runs exactly once and the killed one resumes from its checkpoint; then SIGTERM stops the next chain's
 * container and exits, leaving that chain to the next start.
 */
class ServerRestartIT {
    @TempDir
    Path tmp;

    @Test
    void aKilledServerResumesTheInterruptedChainAndRunsEveryQueuedOneOnce() throws Exception {
        try (GitRemote remote = new GitRemote(tmp.resolve("git"))) {
            Path work = tmp.resolve("work");
            Path config = Files.writeString(tmp.resolve("server.yaml"), """
                    listen: 127.0.0.1:0
                    workers: 1
                    supersede: false
                    work_dir: %s
                    repositories:
                      - name: fashion
                        url: %s
                        aliases: [acme/fashion]
                        branches: [main]
                        chain: {limit: 2000, epochs: 10, threshold: 0.1}
                    """.formatted(work, remote.url()));
            List<String> args = List.of("--config", config.toString(), "--store", tmp.resolve("runs.db").toString());
            String secret = "restart test secret";

            ServerProcess first = new ServerProcess("server-1", args, secret);
            Deliveries send = new Deliveries(first.port());
            String a = remote.pushCopyOf(ServerProcess.ROOT.resolve("examples/fashion-cnn"), "main");
            String b = remote.push("main", "NOTES.md", "b");
            String c = remote.push("main", "NOTES.md", "c");
            for (String[] d : List.of(new String[]{"d-a", a}, new String[]{"d-b", b}, new String[]{"d-c", c})) {
                assertEquals(202, send.github("push", d[0], Deliveries.githubPush("acme/fashion", "refs/heads/main",
                        d[1], "ada"), secret).statusCode());
            }
            Path checkpoint = work.resolve("jobs/1/run/train/checkpoints/checkpoint-epoch-0001.zip");
            awaitFile(checkpoint, 600);
            first.kill();

            try (RunStore store = RunStore.open(tmp.resolve("runs.db"))) {
                assertEquals(List.of(QueuedChain.State.QUEUED, QueuedChain.State.QUEUED, QueuedChain.State.RUNNING),
                        store.queue(10).stream().map(QueuedChain::state).toList(), "killed mid-chain");

                ServerProcess second = new ServerProcess("server-2", args, secret);
                second.port();
                second.await(l -> l.contains("queued chain 1") && l.contains("re-queued"), 30);
                awaitAllDone(store, 3, 900);
                List<QueuedChain> chains = store.queue(10);
                assertEquals(List.of(1, 1, 2), chains.stream().map(QueuedChain::executions).toList(),
                        "b and c once, a twice (killed, resumed)");
                assertEquals(1, chains.get(2).interruptions());
                assertTrue(!chains.get(2).startedAt().isAfter(chains.get(1).startedAt())
                        && !chains.get(1).startedAt().isAfter(chains.get(0).startedAt()),
                        "taken in order, the re-queued one at its place first: " + chains);

                Map<String, List<RunRecord>> byDelivery = store.listRuns(20).stream()
                        .collect(Collectors.groupingBy(r -> r.trigger().id()));
                assertEquals(1, byDelivery.get("github:d-b").size());
                assertEquals(1, byDelivery.get("github:d-c").size());
                List<RunRecord> runsOfA = byDelivery.get("github:d-a");
                assertEquals(2, runsOfA.size());
                RunRecord killed = runsOfA.stream().filter(r -> r.status() == RunStatus.FAILED).findFirst()
                        .orElseThrow();
                assertTrue(killed.message().contains("interrupted"), killed.message());
                RunRecord resumed = runsOfA.stream().filter(r -> r != killed).findFirst().orElseThrow();
                assertNotEquals(RunStatus.FAILED, resumed.status(), resumed.message());
                AttemptRecord firstAttempt = store.attempts(resumed.id()).get(0);
                assertNotNull(firstAttempt.resumedFrom(), "the resumed run starts from the checkpoint");
                // the killed server's container trains on until the new server removes it: enough epochs that
                // the new one still has training left to resume
                java.util.regex.Matcher epoch = java.util.regex.Pattern.compile("checkpoint-epoch-(\\d+)")
                        .matcher(firstAttempt.resumedFrom());
                assertTrue(epoch.find(), firstAttempt.resumedFrom());
                assertTrue(Integer.parseInt(epoch.group(1)) < 10, "resumed mid-training: " + firstAttempt.resumedFrom());
                assertEquals(a, resumed.git().commitId());
                assertEquals(resumed.id(), chains.get(2).runId());

                // SIGTERM while the next chain trains: its container is stopped and removed, the server exits 0,
                // and the chain stays for the next start
                String d = remote.push("main", "NOTES.md", "d");
                int from = second.lines.size();
                assertEquals(202, new Deliveries(second.port()).github("push", "d-d", Deliveries.githubPush(
                        "acme/fashion", "refs/heads/main", d, "ada"), secret).statusCode());
                String container = second.await(from, l -> l.contains("container trainchain-train-"), 600).trim();
                String name = container.substring(container.indexOf("trainchain-train-")).split("[ ,]")[0];
                int code = second.terminate(90);
                assertTrue(code == 0 || code == 143, "exit " + code + " (143: the JVM's status after SIGTERM)");
                Thread.sleep(500); // the reader drains what the process printed before it ended
                assertTrue(second.lines.stream().anyMatch(l -> l.contains("stopped with the server")),
                        second.lines.toString());
                assertNotEquals(0, ServerProcess.docker("inspect", name), "the training container " + name + " is gone");
                assertEquals(QueuedChain.State.RUNNING, store.queued(4).orElseThrow().state(),
                        "left for the next start, which re-queues and resumes it");
            }
        }
    }

    private static void awaitFile(Path file, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + file + " after " + seconds + " s");
            }
            Thread.sleep(200);
        }
    }

    private static void awaitAllDone(RunStore store, int n, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<QueuedChain> q = store.queue(10);
            if (q.size() == n && q.stream().allMatch(c -> c.state() == QueuedChain.State.DONE
                    || c.state() == QueuedChain.State.FAILED)) {
                assertTrue(q.stream().allMatch(c -> c.state() == QueuedChain.State.DONE), q.toString());
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("the queue did not finish: " + store.queue(10));
    }
}
