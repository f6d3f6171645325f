package io.sparkprop.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checkpoints in a {@link FileStore}, three files per epoch: {@code epoch-000012.state.bin} (the
 * {@link TrainingState} in a plain binary layout: no Java serialization),
 * {@code epoch-000012.configuration.properties} and, written last, the commit marker
 * {@code epoch-000012.committed} with the byte count of each. Every file is written under a
 * temporary name and renamed; where renaming is not atomic (S3) the marker still tells a
 * half-written checkpoint apart: one without a marker is ignored, so a crash mid-write leaves
 * the previous one in use. The newest {@code keep} committed checkpoints are kept. Files, not a
 * folder per epoch: Hadoop's local filesystem starts a chmod process for every folder it makes.
 */
public final class CheckpointStore {
    private static final int MAGIC = 0x53504b32; // "SPK2"
    private static final Pattern FILE = Pattern.compile("(epoch-\\d{6})\\..*");
    static final String STATE = "state.bin";
    static final String CONFIGURATION = "configuration.properties";
    static final String COMMITTED = "committed";

    private final FileStore files;
    private final int keep;

    public CheckpointStore(FileStore files, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one checkpoint, got " + keep);
        }
        this.files = files;
        this.keep = keep;
    }

    /** Where the checkpoints are, for messages. */
    public String dir() {
        return files.location();
    }

    public void save(Checkpoint c) {
        String id = String.format("epoch-%06d", c.epoch());
        try {
            byte[] state = stateBytes(c.state());
            byte[] configuration = configurationBytes(c.configuration());
            // Unmarked first: this epoch may be there from an earlier run, or half written by a crashed one.
            files.delete(id + "." + COMMITTED);
            files.write(id + "." + STATE, state);
            files.write(id + "." + CONFIGURATION, configuration);
            Properties marker = new Properties();
            marker.setProperty("epoch", Integer.toString(c.epoch()));
            marker.setProperty(STATE, Integer.toString(state.length));
            marker.setProperty(CONFIGURATION, Integer.toString(configuration.length));
            files.write(id + "." + COMMITTED, propertiesBytes(marker, "complete: the byte count of each file"));
            prune();
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint folder " + dir() + ": cannot write " + id + " ("
                    + e.getMessage() + ")", e);
        }
    }

    /** The newest committed checkpoint, if any. */
    public Optional<Checkpoint> latest() {
        List<String> all = checkpoints();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        String newest = all.get(all.size() - 1);
        try {
            Properties marker = properties(files.read(newest + "." + COMMITTED));
            byte[] state = readChecked(newest, STATE, marker);
            byte[] configuration = readChecked(newest, CONFIGURATION, marker);
            Map<String, String> config = new TreeMap<>();
            Properties props = properties(configuration);
            for (String k : props.stringPropertyNames()) {
                config.put(k, props.getProperty(k));
            }
            return Optional.of(new Checkpoint(readState(state, newest), config));
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint folder " + dir() + ": cannot read " + newest + " ("
                    + e.getMessage() + ")", e);
        }
    }

    /** The committed checkpoints ({@code epoch-000012}), oldest first. */
    List<String> checkpoints() {
        try {
            return committed(files.list(""));
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint folder " + dir() + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    private static List<String> committed(List<String> names) {
        // Zero-padded epochs: name order is epoch order.
        return names.stream().filter(n -> n.endsWith("." + COMMITTED) && FILE.matcher(n).matches())
                .map(n -> n.substring(0, n.length() - COMMITTED.length() - 1)).sorted().toList();
    }

    /** Drops every checkpoint file, committed or not, older than the newest {@code keep} committed ones. */
    private void prune() throws IOException {
        List<String> names = files.list("");
        List<String> committed = committed(names);
        if (committed.size() <= keep) {
            return;
        }
        String oldestKept = committed.get(committed.size() - keep);
        for (String name : names) {
            Matcher m = FILE.matcher(name);
            if (m.matches() && m.group(1).compareTo(oldestKept) < 0) {
                files.delete(name);
            }
        }
    }

    private byte[] readChecked(String id, String file, Properties marker) throws IOException {
        byte[] bytes = files.read(id + "." + file);
        String expected = marker.getProperty(file);
        if (expected == null || Integer.parseInt(expected) != bytes.length) {
            throw new IOException(id + "." + file + " has " + bytes.length + " bytes, the commit marker says " + expected);
        }
        return bytes;
    }

    private static byte[] configurationBytes(Map<String, String> configuration) throws IOException {
        Properties props = new Properties();
        props.putAll(configuration);
        return propertiesBytes(props, "what the result of this run depends on");
    }

    private static byte[] propertiesBytes(Properties props, String comment) throws IOException {
        StringWriter w = new StringWriter();
        props.store(w, comment);
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Properties properties(byte[] bytes) throws IOException {
        Properties props = new Properties();
        props.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        return props;
    }

    private static byte[] stateBytes(TrainingState s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(s.epoch());
            writeArray(out, s.weights());
            out.writeInt(s.optimizerState().length);
            for (double[] a : s.optimizerState()) {
                writeArray(out, a);
            }
            EarlyStopping.State es = s.earlyStopping();
            out.writeBoolean(es.bestWeights() != null);
            if (es.bestWeights() != null) {
                writeArray(out, es.bestWeights());
            }
            out.writeInt(es.bestEpoch());
            out.writeDouble(es.bestScore());
            out.writeInt(es.sinceBest());
            out.writeInt(s.history().size());
            for (EpochStats e : s.history()) {
                out.writeInt(e.epoch());
                out.writeInt(e.steps());
                out.writeLong(e.samples());
                out.writeDouble(e.trainLoss());
                out.writeDouble(e.trainAccuracy());
                out.writeDouble(e.validationLoss());
                out.writeDouble(e.validationMetric());
                out.writeDouble(e.seconds());
            }
        }
        return bytes.toByteArray();
    }

    private static TrainingState readState(byte[] bytes, String from) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        if (in.readInt() != MAGIC) {
            throw new IOException(from + "." + STATE + " is not a sparkprop checkpoint of this version");
        }
        int epoch = in.readInt();
        double[] weights = readArray(in);
        double[][] optimizerState = new double[in.readInt()][];
        for (int i = 0; i < optimizerState.length; i++) {
            optimizerState[i] = readArray(in);
        }
        double[] best = in.readBoolean() ? readArray(in) : null;
        EarlyStopping.State es = new EarlyStopping.State(best, in.readInt(), in.readDouble(), in.readInt());
        int n = in.readInt();
        List<EpochStats> history = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            history.add(new EpochStats(in.readInt(), in.readInt(), in.readLong(), in.readDouble(), in.readDouble(),
                    in.readDouble(), in.readDouble(), in.readDouble()));
        }
        return new TrainingState(epoch, weights, optimizerState, history, es);
    }

    private static void writeArray(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) {
            out.writeDouble(v);
        }
    }

    private static double[] readArray(DataInputStream in) throws IOException {
        double[] a = new double[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }
}
