package io.sparkprop.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * An IDX file (the MNIST / Fashion-MNIST format), gzip or plain: a big-endian header of magic
 * (0x0000 0x08 = unsigned bytes, then the number of dimensions), one int per dimension, then the
 * values. Images are 3-dimensional (count x rows x cols), labels 1-dimensional.
 */
public record IdxFile(String name, int[] dims, byte[] values) {

    /** The number of items (the first dimension). */
    public int count() {
        return dims[0];
    }

    /** Values per item: rows x cols for images, 1 for labels. */
    public int itemSize() {
        int size = 1;
        for (int i = 1; i < dims.length; i++) {
            size *= dims[i];
        }
        return size;
    }

    /** Item i's values as unsigned numbers, into {@code out} from offset 0. */
    public void item(int i, double[] out) {
        int size = itemSize();
        for (int j = 0; j < size; j++) {
            out[j] = values[i * size + j] & 0xFF;
        }
    }

    /** Label i as an unsigned number. */
    public int label(int i) {
        return values[i] & 0xFF;
    }

    /**
     * Reads and checks a whole IDX file.
     *
     * @param expectedDims 3 for images, 1 for labels
     */
    public static IdxFile read(InputStream raw, String name, int expectedDims) throws IOException {
        DataInputStream data = open(raw);
        int[] dims = readHeader(data, name, expectedDims);
        long total = 1;
        for (int d : dims) {
            total *= d;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new InputException(name + ": " + total + " values are more than one IDX read can hold");
        }
        byte[] values = new byte[(int) total];
        int read;
        try {
            read = data.readNBytes(values, 0, values.length);
        } catch (EOFException e) { // a gzip stream cut short
            throw new InputException(name + ": truncated IDX file: the compressed data ends early");
        }
        if (read < values.length) {
            throw new InputException(name + ": truncated IDX file: the header promises " + total + " values, found "
                    + read);
        }
        return new IdxFile(name, dims, values);
    }

    /** Reads and checks only the header: the dimensions, first the item count. */
    public static int[] header(InputStream raw, String name, int expectedDims) throws IOException {
        return readHeader(open(raw), name, expectedDims);
    }

    private static DataInputStream open(InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(buffered), 1 << 16)
                : buffered;
        return new DataInputStream(in);
    }

    private static int[] readHeader(DataInputStream data, String name, int expectedDims) throws IOException {
        int magic;
        try {
            magic = data.readInt();
        } catch (EOFException e) {
            throw new InputException(name + ": empty or truncated IDX file (no header)");
        }
        if ((magic >>> 8) != 0x08) {
            throw new InputException(name + ": not an IDX file of unsigned bytes (magic 0x"
                    + Integer.toHexString(magic) + ", expected 0x0000080" + expectedDims + ")");
        }
        int ndims = magic & 0xFF;
        if (ndims != expectedDims) {
            throw new InputException(name + ": an IDX file of " + ndims + " dimensions where "
                    + (expectedDims == 3 ? "images (3 dimensions)" : "labels (1 dimension)") + " were expected;"
                    + " are the images and labels files swapped?");
        }
        int[] dims = new int[ndims];
        try {
            for (int i = 0; i < ndims; i++) {
                dims[i] = data.readInt();
                if (dims[i] <= 0) {
                    throw new InputException(name + ": dimension " + i + " is " + dims[i]);
                }
            }
        } catch (EOFException e) {
            throw new InputException(name + ": truncated IDX header");
        }
        return dims;
    }
}
