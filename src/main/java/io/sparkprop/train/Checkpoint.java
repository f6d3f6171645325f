package io.sparkprop.train;

import java.util.List;
import java.util.Map;

/**
 * Everything a run needs to continue after {@code epoch} as if it had never stopped: the
 * weights, the optimizer's state, the history so far and the early-stopping state. Which rows
 * each later step uses follows from (seed, epoch, step, partition), so no generator state is
 * needed beyond the epoch. {@code configuration} records what the result depends on, so that a
 * resume under other settings is refused.
 */
public record Checkpoint(int epoch, double[] weights, double[][] optimizerState, List<EpochStats> history,
                         double[] bestWeights, int bestEpoch, double bestScore, int sinceBest,
                         Map<String, String> configuration) {

    public Checkpoint {
        history = List.copyOf(history);
        configuration = Map.copyOf(configuration);
    }
}
