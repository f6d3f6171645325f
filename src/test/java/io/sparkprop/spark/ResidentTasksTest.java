package io.sparkprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The driver's side of the step tasks that needs no Spark: waiting for an order's write. */
class ResidentTasksTest {

    @Test
    void aWriteThatNeverEndsIsGivenUpWhenTheTasksAreGone() {
        // a task whose host vanished: its write blocks, and only the job's end tells
        java.util.concurrent.CompletableFuture<Void> blocked = new java.util.concurrent.CompletableFuture<>();
        int[] polls = {0};
        ResidentTasks.Lost lost = assertThrows(ResidentTasks.Lost.class, () -> ResidentTasks.awaitWrite(blocked, 1,
                () -> {
                    if (++polls[0] == 3) {
                        throw new IOException("the step tasks' job ended");
                    }
                }));
        assertEquals(3, polls[0], "checked between polls until the job had ended");
        assertTrue(lost.getMessage().contains("step task 1"), lost.getMessage());

        java.util.concurrent.CompletableFuture<Void> failed = new java.util.concurrent.CompletableFuture<>();
        failed.completeExceptionally(new IOException("connection reset"));
        assertEquals("connection reset", assertThrows(ResidentTasks.Lost.class,
                () -> ResidentTasks.awaitWrite(failed, 0, () -> { })).getCause().getMessage());
        ResidentTasks.awaitWrite(java.util.concurrent.CompletableFuture.completedFuture(null), 0, () -> {
            throw new AssertionError("a finished write needs no check");
        });
    }
}
