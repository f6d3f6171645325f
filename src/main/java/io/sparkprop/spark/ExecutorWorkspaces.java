package io.sparkprop.spark;

import io.sparkprop.nn.Topology;
import io.sparkprop.train.ShardWorkspace;

/**
 * One {@link ShardWorkspace} per executor thread, kept across tasks: Spark reuses its task
 * threads, so after the first step no task allocates backprop buffers again.
 */
final class ExecutorWorkspaces {
    private static final ThreadLocal<ShardWorkspace> CURRENT = new ThreadLocal<>();

    private ExecutorWorkspaces() {
    }

    static ShardWorkspace get(Topology topology, int maxColumns) {
        ShardWorkspace ws = CURRENT.get();
        if (ws == null || ws.maxColumns() != maxColumns || !ws.topology().equals(topology)) {
            ws = new ShardWorkspace(topology, maxColumns);
            CURRENT.set(ws);
        }
        return ws;
    }
}
