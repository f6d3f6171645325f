package io.sparkprop.train;

import io.sparkprop.data.LocalFolders;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checkpoints in a local folder, one sub-folder per epoch ({@code epoch-000012/}) holding
 * {@code state.bin} (numbers, in a plain binary layout: no Java serialization) and
 * {@code configuration.properties}. Each is written under a temporary name and renamed, so a
 * crash mid-write leaves the previous one intact; the newest {@code keep} are kept.
 */
public final class CheckpointStore {
    private static final int MAGIC = 0x53504b31; // "SPK1"
    private static final String PREFIX = "epoch-";

    private final Path dir;
    private final int keep;

    public CheckpointStore(Path dir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one checkpoint, got " + keep);
        }
        this.dir = dir;
        this.keep = keep;
    }

    public Path dir() {
        return dir;
    }

    public void save(Checkpoint c) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempDirectory(dir, ".writing-");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(tmp.resolve("state.bin")), 1 << 16))) {
                writeState(out, c);
            }
            Properties props = new Properties();
            props.putAll(c.configuration());
            try (Writer w = Files.newBufferedWriter(tmp.resolve("configuration.properties"), StandardCharsets.UTF_8)) {
                props.store(w, "what the result of this run depends on");
            }
            Path target = dir.resolve(String.format("%s%06d", PREFIX, c.epoch()));
            if (Files.exists(target)) {
                LocalFolders.deleteTree(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            prune();
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint folder " + dir + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Checkpoint> latest() {
        List<Path> all = checkpoints();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        Path newest = all.get(all.size() - 1);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                Files.newInputStream(newest.resolve("state.bin")), 1 << 16));
             Reader r = Files.newBufferedReader(newest.resolve("configuration.properties"), StandardCharsets.UTF_8)) {
            Properties props = new Properties();
            props.load(r);
            Map<String, String> config = new TreeMap<>();
            for (String k : props.stringPropertyNames()) {
                config.put(k, props.getProperty(k));
            }
            return Optional.of(readState(in, config, newest));
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + newest + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Complete checkpoints, oldest first. */
    List<Path> checkpoints() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void prune() throws IOException {
        List<Path> all = checkpoints();
        for (int i = 0; i < all.size() - keep; i++) {
            LocalFolders.deleteTree(all.get(i));
        }
    }

    private static void writeState(DataOutputStream out, Checkpoint c) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(c.epoch());
        writeArray(out, c.weights());
        out.writeInt(c.optimizerState().length);
        for (double[] a : c.optimizerState()) {
            writeArray(out, a);
        }
        out.writeBoolean(c.bestWeights() != null);
        if (c.bestWeights() != null) {
            writeArray(out, c.bestWeights());
        }
        out.writeInt(c.bestEpoch());
        out.writeDouble(c.bestScore());
        out.writeInt(c.sinceBest());
        out.writeInt(c.history().size());
        for (EpochStats s : c.history()) {
            out.writeInt(s.epoch());
            out.writeInt(s.steps());
            out.writeLong(s.samples());
            out.writeDouble(s.trainLoss());
            out.writeDouble(s.trainAccuracy());
            out.writeDouble(s.validationLoss());
            out.writeDouble(s.validationMetric());
            out.writeDouble(s.seconds());
        }
    }

    private static Checkpoint readState(DataInputStream in, Map<String, String> config, Path from) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException(from + " is not a sparkprop checkpoint");
        }
        int epoch = in.readInt();
        double[] weights = readArray(in);
        double[][] state = new double[in.readInt()][];
        for (int i = 0; i < state.length; i++) {
            state[i] = readArray(in);
        }
        double[] best = in.readBoolean() ? readArray(in) : null;
        int bestEpoch = in.readInt();
        double bestScore = in.readDouble();
        int sinceBest = in.readInt();
        int n = in.readInt();
        List<EpochStats> history = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            history.add(new EpochStats(in.readInt(), in.readInt(), in.readLong(), in.readDouble(), in.readDouble(),
                    in.readDouble(), in.readDouble(), in.readDouble()));
        }
        return new Checkpoint(epoch, weights, state, history, best, bestEpoch, bestScore, sinceBest, config);
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
