package io.sparkprop.spark;

import io.sparkprop.data.Standardizer;
import io.sparkprop.data.TargetEncoder;
import io.sparkprop.nn.Precision;
import io.sparkprop.nn.Topology;
import io.sparkprop.train.CheckpointStore;
import io.sparkprop.train.GradientSource;
import io.sparkprop.train.Step;
import io.sparkprop.train.Trainer;
import io.sparkprop.train.TrainingConfig;
import io.sparkprop.train.TrainingListener;
import io.sparkprop.train.TrainingResult;
import io.sparkprop.train.ValidationMetric;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Trains a network on a DataFrame with the same loop as the local reference: rows are checked
 * and cached as blocks once, each step runs on tasks that stay for the whole training (or is one
 * Spark job named after it, "sparkprop epoch 3/20 step 12/59"), and everything cached is released
 * when training ends, also when it fails.
 */
public final class SparkTrainer {
    /** Rows per cached block. */
    public static final int DEFAULT_BLOCK_ROWS = 1024;
    /**
     * Samples per BLAS call in a task (the width of the workspace), at most: wide enough for a
     * partition's share of the shipped recipe's step (about 1,034 rows: 60,000 in 29 steps on two
     * partitions) in one call, whose float32 sums are then floats exactly and travel as such
     * (StepWire). docs/SPEED.md has what 512, 1024 and 2048 measured. A wide network gets fewer
     * ({@link #workspaceColumns}).
     */
    public static final int DEFAULT_MAX_COLUMNS = 2048;
    /** What a task's workspace may take: about a 784-2560-1280-10 network's at 512 columns in float64. */
    static final long WORKSPACE_BYTES = 32L << 20;

    /**
     * The workspace width for {@code topology}: {@link #DEFAULT_MAX_COLUMNS}, or fewer (down to 64)
     * where its activations, deltas and gathered inputs would take more than {@link #WORKSPACE_BYTES}
     * in float64, one workspace per task thread.
     */
    public static int workspaceColumns(Topology topology) {
        long units = 0;
        for (int l = 1; l <= topology.layerCount(); l++) {
            units += topology.width(l);
        }
        long bytesPerColumn = Double.BYTES * (2 * units + topology.inputWidth());
        return (int) Math.max(64, Math.min(DEFAULT_MAX_COLUMNS, WORKSPACE_BYTES / bytesPerColumn));
    }

    private final Topology topology;
    private final TargetEncoder targets;
    private final Standardizer standardizer;
    private final TrainingConfig config;
    private String featuresCol = "features";
    private String labelCol = "label";
    private String idCol;
    private String weightCol;
    private int blockRows = DEFAULT_BLOCK_ROWS;
    private Precision precision = Precision.FLOAT64;
    private int maxColumns; // 0: workspaceColumns(topology)
    private CheckpointStore checkpoints;
    private int checkpointInterval = 1;
    private boolean resume;
    private boolean residentSteps = true;

    /** {@code standardizer} may be null. */
    public SparkTrainer(Topology topology, TargetEncoder targets, Standardizer standardizer, TrainingConfig config) {
        targets.checkFits(topology);
        this.topology = topology;
        this.targets = targets;
        this.standardizer = standardizer;
        this.config = config;
    }

    public SparkTrainer columns(String features, String label) {
        this.featuresCol = features;
        this.labelCol = label;
        return this;
    }

    /**
     * Know each training row by (a hash of) this column's value rather than by its content; null
     * (the default) for content. Which step of an epoch a row belongs to follows from it.
     */
    public SparkTrainer idCol(String column) {
        this.idCol = column;
        return this;
    }

    public SparkTrainer blockRows(int rows, int columns) {
        if (rows <= 0 || columns <= 0) {
            throw new IllegalArgumentException("block rows and columns must be positive, got " + rows + ", " + columns);
        }
        this.blockRows = rows;
        this.maxColumns = columns;
        return this;
    }

    /** A numeric column whose value weighs each row (training and validation rows); null: every row weighs 1. */
    public SparkTrainer weightCol(String column) {
        this.weightCol = column;
        return this;
    }

    /** The number type of the cached features and of the executors' arithmetic; float64 unless set. */
    public SparkTrainer precision(Precision p) {
        this.precision = java.util.Objects.requireNonNull(p);
        return this;
    }

    /**
     * Whether steps run on tasks that outlive a step ({@link ResidentGradientSource}; the default)
     * or as a Spark job each ({@link SparkGradientSource}). Both give bitwise the same sums.
     */
    public SparkTrainer residentSteps(boolean resident) {
        this.residentSteps = resident;
        return this;
    }

    /** Checkpoints every {@code interval} epochs into {@code store}; with {@code resume}, continues from the newest. */
    public SparkTrainer checkpoints(CheckpointStore store, int interval, boolean resumeFromNewest) {
        this.checkpoints = store;
        this.checkpointInterval = interval;
        this.resume = resumeFromNewest;
        return this;
    }

    /**
     * Trains on {@code train}, validating on {@code validation} each epoch when it is not null.
     */
    public TrainingResult train(Dataset<Row> train, Dataset<Row> validation, double[] initialWeights,
                                TrainingListener listener) {
        SparkContext sc = train.sparkSession().sparkContext();
        TrainingBlocks trainBlocks = null;
        TrainingBlocks validationBlocks = null;
        GradientSource source = null;
        try {
            sc.setJobDescription("sparkprop: caching training rows");
            trainBlocks = TrainingBlocks.prepare(train, featuresCol, labelCol, idCol, weightCol, topology.inputWidth(),
                    targets, standardizer, blockRows, precision, "training data");
            if (validation != null) {
                sc.setJobDescription("sparkprop: caching validation rows");
                validationBlocks = TrainingBlocks.prepare(validation, featuresCol, labelCol, null, weightCol,
                        topology.inputWidth(), targets, standardizer, blockRows, precision, "validation data");
            }
            int columns = maxColumns > 0 ? maxColumns : workspaceColumns(topology);
            GradientSource check;
            if (residentSteps) {
                ResidentGradientSource resident = new ResidentGradientSource(trainBlocks, topology, columns);
                check = validationBlocks == null ? null : resident.validating(validationBlocks);
                source = resident;
            } else {
                check = validationBlocks == null ? null
                        : new SparkGradientSource(validationBlocks, topology, columns);
                source = new SparkGradientSource(trainBlocks, topology, columns);
            }
            Trainer trainer = new Trainer(topology, config, ValidationMetric.of(topology, targets));
            if (checkpoints != null) {
                trainer.checkpoints(checkpoints, checkpointInterval, resume);
            }
            return trainer.train(source, check, initialWeights, new JobNames(sc).andThen(listener));
        } finally {
            if (source != null) {
                source.close(); // the step tasks end before their blocks go
            }
            if (trainBlocks != null) {
                trainBlocks.close();
            }
            if (validationBlocks != null) {
                validationBlocks.close();
            }
            sc.setJobDescription(null);
        }
    }

    /** Names each step's job so the Spark UI reads like a training log. */
    private static final class JobNames implements TrainingListener {
        private final SparkContext sc;

        JobNames(SparkContext sc) {
            this.sc = sc;
        }

        @Override
        public void onStepStart(Step step, int maxEpochs) {
            sc.setJobDescription("sparkprop epoch " + step.epoch() + "/" + maxEpochs + " step "
                    + (step.index() + 1) + "/" + step.stepsPerEpoch());
        }

        @Override
        public void onValidationStart(int epoch, int maxEpochs) {
            sc.setJobDescription("sparkprop epoch " + epoch + "/" + maxEpochs + " validation");
        }
    }
}
