package io.sparkprop.spark;

import io.sparkprop.data.CsvTable;
import io.sparkprop.data.IdxFile;
import io.sparkprop.data.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads the formats the command line takes into a {@link LabeledFrame}: {@code csv} (header row,
 * every other column numeric), {@code libsvm}, {@code parquet} (a vector column or numeric
 * columns) and {@code idx} (an images file and a labels file). Any path Spark reads works.
 * Errors name the file, and for CSV the line and column.
 */
public final class InputFormats {
    public static final List<String> FORMATS = List.of("csv", "libsvm", "parquet", "idx");
    public static final String FEATURES = "features";
    /** Prefix of a dataset shipped inside the jar, e.g. {@code bundled:digits}. */
    public static final String BUNDLED = "bundled:";
    public static final List<String> BUNDLED_NAMES = List.of("digits", "breast_cancer", "diabetes");

    private InputFormats() {
    }

    /** The format a path's name suggests, or csv. */
    public static String guess(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        if (p.contains("idx3-ubyte") || p.contains("idx1-ubyte")) {
            return "idx";
        }
        if (p.endsWith(".parquet")) {
            return "parquet";
        }
        if (p.endsWith(".libsvm") || p.endsWith(".svm")) {
            return "libsvm";
        }
        return "csv";
    }

    /**
     * @param format      one of {@link #FORMATS}, or null to guess from the path
     * @param numFeatures the width the features must have, or -1 to take it from the data
     */
    public static LabeledFrame read(SparkSession spark, String path, String format, String labelCol,
                                    String featuresCol, int numFeatures) {
        return read(spark, path, format, labelCol, featuresCol, numFeatures, List.of());
    }

    /**
     * As above, with {@code notFeatures}: columns of a CSV or Parquet table that stay columns of
     * the frame but are not features (a sample weight).
     */
    public static LabeledFrame read(SparkSession spark, String path, String format, String labelCol,
                                    String featuresCol, int numFeatures, List<String> notFeatures) {
        return read(spark, path, format, labelCol, featuresCol, numFeatures, notFeatures, TablePlan.PLAIN);
    }

    /**
     * As above, read as {@code plan} says. A plan that is not plain gives a CSV or Parquet table's
     * own columns, typed (text columns as strings, the rest as doubles; empty cells null where the
     * plan allows them), and no features column yet: {@link TableEncoding} makes it.
     */
    public static LabeledFrame read(SparkSession spark, String path, String format, String labelCol,
                                    String featuresCol, int numFeatures, List<String> notFeatures, TablePlan plan) {
        String f = format(path, format);
        if (path.startsWith(BUNDLED) || f.equals("csv")) {
            return csv(spark, csvLines(spark, path), path, labelCol, notFeatures, plan);
        }
        if (!f.equals("idx")) {
            requireExists(spark, path);
        }
        return switch (f) {
            case "libsvm" -> libsvm(spark, path, labelCol, numFeatures);
            case "parquet" -> plan.plain() ? parquet(spark, path, labelCol, featuresCol, notFeatures)
                    : parquetTable(spark, path, labelCol, notFeatures, plan);
            default -> idx(spark, path, labelCol);
        };
    }

    /** The format given, or the one the path suggests; an unknown one is an error. */
    static String format(String path, String format) {
        String f = format == null || format.isBlank() ? guess(path) : format.trim().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(f)) {
            throw new InputException("unknown data format '" + format + "'; expected one of " + FORMATS);
        }
        return f;
    }

    /** A CSV's lines: a file Spark reads, or a dataset bundled in the jar. */
    static JavaRDD<String> csvLines(SparkSession spark, String path) {
        if (path.startsWith(BUNDLED)) {
            return bundledLines(spark, path.substring(BUNDLED.length()));
        }
        requireExists(spark, path);
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).textFile(path);
    }

    /** The first line, which must be a header. */
    static String csvHeader(JavaRDD<String> lines, String path) {
        List<String> first = lines.take(1);
        if (first.isEmpty() || first.get(0).isBlank()) {
            throw new InputException(path + ": empty file, expected a header row");
        }
        return first.get(0);
    }

    static void requireExists(SparkSession spark, String path) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) {
                throw new InputException(path + ": no such file or folder");
            }
            if (fs.getContentSummary(p).getLength() == 0) {
                throw new InputException(path + ": empty file");
            }
        } catch (IOException e) {
            throw new InputException(path + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The lines of a CSV shipped in the jar, read from the classpath by the task itself (executors
     * have the jar) and spread over the default parallelism.
     */
    private static JavaRDD<String> bundledLines(SparkSession spark, String name) {
        String resource = "/datasets/" + name + ".csv";
        if (InputFormats.class.getResource(resource) == null) {
            throw new InputException("no bundled dataset '" + name + "'; bundled: " + BUNDLED_NAMES);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = Math.max(2, jsc.defaultParallelism());
        return sliceIndices(jsc, slices).flatMap(slice -> {
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                    InputFormats.class.getResourceAsStream(resource), java.nio.charset.StandardCharsets.UTF_8))) {
                List<String> all = reader.lines().toList();
                return all.subList(sliceStart(slice, slices, all.size()), sliceStart(slice + 1, slices, all.size()))
                        .iterator();
            }
        });
    }

    private static LabeledFrame csv(SparkSession spark, JavaRDD<String> lines, String path, String labelCol,
                                    List<String> notFeatures, TablePlan plan) {
        String header = csvHeader(lines, path);
        String[] names = CsvTable.header(header, path);
        int labelAt = Arrays.asList(names).indexOf(labelCol);
        String source = path;
        if (!plan.plain()) {
            return csvTable(spark, lines, header, names, source, labelCol, plan);
        }
        boolean[] feature = new boolean[names.length];
        int width = 0;
        for (int i = 0; i < names.length; i++) {
            feature[i] = i != labelAt && !notFeatures.contains(names[i]);
            width += feature[i] ? 1 : 0;
        }
        int featureCount = width;
        JavaRDD<Row> rows = lines.zipWithIndex()
                .filter(t -> !t._1().isBlank() && !t._1().equals(header))
                .map(t -> parseCsvLine(t._1(), t._2() + 1, names, feature, featureCount, source));
        StructType schema = new StructType();
        for (String n : names) {
            schema = schema.add(n, DataTypes.DoubleType, false);
        }
        schema = schema.add(FEATURES, new VectorUDT(), false).add(LabeledFrame.LINE, DataTypes.LongType, false);
        Dataset<Row> frame = spark.createDataFrame(rows, schema);
        return new LabeledFrame(frame, path, labelCol, labelAt >= 0, List.of(names), true);
    }

    /** A CSV's cells typed as the plan says, with each row's line number; no features column. */
    private static LabeledFrame csvTable(SparkSession spark, JavaRDD<String> lines, String header, String[] names,
                                         String source, String labelCol, TablePlan plan) {
        boolean[] text = new boolean[names.length];
        StructType schema = new StructType();
        for (int i = 0; i < names.length; i++) {
            text[i] = plan.isText(names[i]);
            schema = schema.add(names[i], text[i] ? DataTypes.StringType : DataTypes.DoubleType, true);
        }
        schema = schema.add(LabeledFrame.LINE, DataTypes.LongType, false);
        boolean emptyAllowed = plan.missing() != MissingCells.ERROR;
        JavaRDD<Row> rows = lines.zipWithIndex()
                .filter(t -> !t._1().isBlank() && !t._1().equals(header))
                .map(t -> {
                    Object[] cells = CsvTable.parseCells(t._1(), t._2() + 1, names, text, emptyAllowed, source);
                    Object[] values = Arrays.copyOf(cells, cells.length + 1);
                    values[cells.length] = t._2() + 1;
                    return RowFactory.create(values);
                });
        return new LabeledFrame(spark.createDataFrame(rows, schema), source, labelCol,
                Arrays.asList(names).contains(labelCol), List.of(names), true);
    }

    /** A Parquet file or folder as Spark reads it; an unreadable one is an error naming the path. */
    static Dataset<Row> readParquet(SparkSession spark, String path) {
        try {
            return spark.read().parquet(path);
        } catch (Exception e) {
            throw new InputException(path + ": not readable as Parquet (" + InputException.firstLine(e) + ")", e);
        }
    }

    /** A Parquet table's own columns, the plan's text columns as strings; features must be numbers or text. */
    private static LabeledFrame parquetTable(SparkSession spark, String path, String labelCol,
                                             List<String> notFeatures, TablePlan plan) {
        Dataset<Row> raw = readParquet(spark, path);
        for (StructField field : raw.schema().fields()) {
            String n = field.name();
            if (plan.isText(n)) {
                raw = raw.withColumn(n, functions.col(n).cast("string"));
            } else if (field.dataType() instanceof NumericType) {
                raw = raw.withColumn(n, functions.col(n).cast("double"));
            } else if (!notFeatures.contains(n)) {
                throw new InputException(path + ": column '" + n + "' is " + field.dataType().simpleString()
                        + "; table columns must be numbers or text");
            }
        }
        List<String> names = Arrays.asList(raw.schema().fieldNames());
        return new LabeledFrame(raw, path, labelCol, names.contains(labelCol), names, false);
    }

    /**
     * One CSV line as its cells (each a double column), the features vector of the {@code width}
     * cells marked {@code feature}, and the line's number.
     */
    static Row parseCsvLine(String line, long lineNo, String[] names, boolean[] feature, int width, String source) {
        double[] cells = CsvTable.parseLine(line, lineNo, names, source);
        Object[] values = new Object[names.length + 2];
        double[] features = new double[width];
        for (int i = 0, k = 0; i < cells.length; i++) {
            double v = cells[i];
            values[i] = v;
            if (feature[i]) {
                features[k++] = v;
            }
        }
        values[names.length] = Vectors.dense(features);
        values[names.length + 1] = lineNo;
        return RowFactory.create(values);
    }

    private static LabeledFrame libsvm(SparkSession spark, String path, String labelCol, int numFeatures) {
        var reader = spark.read().format("libsvm");
        if (numFeatures > 0) {
            reader = reader.option("numFeatures", numFeatures);
        }
        Dataset<Row> frame;
        try {
            frame = reader.load(path);
        } catch (Exception e) {
            throw new InputException(path + ": not readable as libsvm (" + InputException.firstLine(e) + ")", e);
        }
        if (!labelCol.equals("label")) {
            frame = frame.withColumnRenamed("label", labelCol);
        }
        return new LabeledFrame(frame, path, labelCol, true, List.of(labelCol), false);
    }

    private static LabeledFrame parquet(SparkSession spark, String path, String labelCol, String featuresCol,
                                        List<String> notFeatures) {
        Dataset<Row> raw = readParquet(spark, path);
        StructType schema = raw.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        boolean hasLabel = names.contains(labelCol);
        if (hasLabel && !(schema.apply(labelCol).dataType() instanceof NumericType)) {
            throw new InputException(path + ": label column '" + labelCol + "' is "
                    + schema.apply(labelCol).dataType().simpleString() + ", not numeric");
        }
        if (names.contains(featuresCol) && schema.apply(featuresCol).dataType() instanceof VectorUDT) {
            Dataset<Row> frame = featuresCol.equals(FEATURES) ? raw : raw.withColumn(FEATURES, raw.col(featuresCol));
            return new LabeledFrame(frame, path, labelCol, hasLabel, names, false);
        }
        List<String> inputs = new ArrayList<>();
        for (StructField field : schema.fields()) {
            if (field.name().equals(labelCol) || notFeatures.contains(field.name())) {
                continue;
            }
            if (!(field.dataType() instanceof NumericType)) {
                throw new InputException(path + ": column '" + field.name() + "' is " + field.dataType().simpleString()
                        + "; features must be numeric columns or a vector column '" + featuresCol + "'");
            }
            inputs.add(field.name());
        }
        Dataset<Row> frame = new VectorAssembler().setInputCols(inputs.toArray(new String[0])).setOutputCol(FEATURES)
                .setHandleInvalid("error").transform(raw);
        if (hasLabel) {
            frame = frame.withColumn(labelCol, functions.col(labelCol).cast("double"));
        }
        return new LabeledFrame(frame, path, labelCol, hasLabel, names, false);
    }

    /**
     * {@code images} or {@code images,labels}; without the labels path, it is the images path with
     * "images-idx3" replaced by "labels-idx1" (the MNIST naming).
     */
    private static LabeledFrame idx(SparkSession spark, String path, String labelCol) {
        String[] parts = path.split(",");
        String imagesPath = parts[0].trim();
        String labelsPath = parts.length > 1 ? parts[1].trim() : imagesPath.replace("images-idx3", "labels-idx1");
        if (labelsPath.equals(imagesPath)) {
            throw new InputException(path + ": give the IDX labels file too, as 'images-file,labels-file'");
        }
        requireExists(spark, imagesPath);
        requireExists(spark, labelsPath);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        int[] imageDims = idxHeader(imagesPath, conf, 3);
        int[] labelDims = idxHeader(labelsPath, conf, 1);
        if (imageDims[0] != labelDims[0]) {
            throw new InputException(imagesPath + " holds " + imageDims[0] + " images but " + labelsPath + " holds "
                    + labelDims[0] + " labels");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // Broadcast, not captured: a captured configuration is serialized (gzipped, hundreds of keys)
        // into the task binary of every later job over these rows, every training step included.
        Broadcast<SerializableConfiguration> hadoop = jsc.broadcast(new SerializableConfiguration(conf));
        int slices = Math.max(jsc.defaultParallelism(), 1);
        JavaRDD<Row> rows = sliceIndices(jsc, slices).flatMap(slice -> {
            IdxFile images = readIdx(imagesPath, hadoop.value().value(), 3);
            IdxFile labels = readIdx(labelsPath, hadoop.value().value(), 1);
            int from = sliceStart(slice, slices, images.count());
            int to = sliceStart(slice + 1, slices, images.count());
            List<Row> out = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                double[] pixels = new double[images.itemSize()];
                images.item(i, pixels);
                out.add(RowFactory.create(Vectors.dense(pixels), (double) labels.label(i)));
            }
            return out.iterator();
        });
        StructType schema = new StructType().add(FEATURES, new VectorUDT(), false)
                .add(labelCol, DataTypes.DoubleType, false);
        return new LabeledFrame(spark.createDataFrame(rows, schema), imagesPath, labelCol, true,
                List.of(labelCol, FEATURES), false);
    }

    /**
     * Partitions 0..slices-1, each holding only its index. Sources read in the task, slice by slice,
     * rather than parallelizing their rows: a parallelized collection rides inside its partitions
     * with every later task over the rows, cached or not.
     */
    private static JavaRDD<Integer> sliceIndices(JavaSparkContext jsc, int slices) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < slices; i++) {
            indices.add(i);
        }
        return jsc.parallelize(indices, slices);
    }

    static int sliceStart(int slice, int slices, int n) {
        return (int) ((long) slice * n / slices);
    }

    private static int[] idxHeader(String path, Configuration conf, int dims) {
        Path p = new Path(path);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return IdxFile.header(in, path, dims);
        } catch (IOException e) {
            throw new InputException(path + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static IdxFile readIdx(String path, Configuration conf, int dims) {
        Path p = new Path(path);
        try (InputStream in = p.getFileSystem(conf).open(p)) {
            return IdxFile.read(in, path, dims);
        } catch (IOException e) {
            throw new InputException(path + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
